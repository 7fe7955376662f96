package dev.berth.operator.plan;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.tls.RegistryTrust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeRuntime;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAccessPlanRendererTest {
  static final String BROKEN_CA = """
      -----BEGIN CERTIFICATE-----
      MIIBdzCCAR2gAwIBAgIUEOuhH2jxtvBaV5fuqkGpVpaHMScwCgYIKoZIzj0EAwIw
      ETEPMA0GA1UEAwwGdGVzdGNhMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAw
      MFowETEPMA0GA1UEAwwGdGVzdGNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
      -----END CERTIFICATE-----
      """;

  @Test
  void theEnabledPlanIsWhatTheAgentAccepts() {
    Registry registry = OperatorTestSupport.registry("team", "main", new RegistrySpec());
    NodeAccessPlan plan = NodeAccessPlanRenderer.enabled(registry, "10.96.12.34", RegistryTrust.PLAIN_HTTP);
    NodeAccessPlan parsed = NodeAccessPlan.parse(plan.toJson());
    assertThat(parsed).isEqualTo(plan);
    assertThat(parsed.registry()).isEqualTo("team/main");
    assertThat(parsed.hosts()).containsExactly("main.team.svc.cluster.local:5000", "main.team.svc:5000");
    assertThat(parsed.endpoint()).isEqualTo("10.96.12.34:5000");
    assertThat(parsed.runtimes()).containsExactly(Runtime.CONTAINERD);
    assertThat(parsed.tls()).isFalse();
    // pure: the same inputs give the same bytes, so the hash names the plan
    assertThat(NodeAccessPlanRenderer.enabled(registry, "10.96.12.34", RegistryTrust.PLAIN_HTTP).toJson())
        .isEqualTo(plan.toJson());
  }

  @Test
  void ipv6ClusterIpsAreBracketedAndExtraNamesAddedOnce() {
    NodeAccessSpec access = new NodeAccessSpec();
    access.setRuntimes(List.of(NodeRuntime.docker, NodeRuntime.k3s));
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    Registry registry = OperatorTestSupport.registry("team", "main", spec);
    var trust = new RegistryTrust(false, "", List.of("registry.example.com", "main.team.svc"));
    NodeAccessPlan plan = NodeAccessPlanRenderer.enabled(registry, "fd00:10:96::a", trust);
    assertThat(plan.endpoint()).isEqualTo("[fd00:10:96::a]:5000");
    assertThat(plan.endpointAddress().port()).isEqualTo(5000);
    assertThat(plan.hosts()).containsExactly(
        "main.team.svc.cluster.local:5000", "main.team.svc:5000", "registry.example.com:5000");
    assertThat(plan.runtimes()).containsExactly(Runtime.DOCKER, Runtime.K3S);
  }

  @Test
  void tlsWithoutAUsableCaIsRefusedByThePlanItself() {
    Registry registry = OperatorTestSupport.registry("team", "main", new RegistrySpec());
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            NodeAccessPlanRenderer.enabled(registry, "10.0.0.1", new RegistryTrust(true, BROKEN_CA, List.of())))
        .hasMessageContaining("caPem");
  }

  @Test
  void theDisabledPlanNamesOnlyTheRegistry() {
    NodeAccessPlan plan = NodeAccessPlan.parse(
        NodeAccessPlanRenderer.disabled(new RegistryNames("main", "team")).toJson());
    assertThat(plan.enabled()).isFalse();
    assertThat(plan.registry()).isEqualTo("team/main");
    assertThat(plan.hosts()).isEmpty();
  }
}
