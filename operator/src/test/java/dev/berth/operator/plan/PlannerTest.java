package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.observe.Observations;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The plan step on a hand-made observation: everything a dependent renders, decided once. */
class PlannerTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aSelfSignedRegistryIsPlannedWithItsCertificateTrustAndConfig() {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    var settings = OperatorTestSupport.settings();
    RegistryPlan plan = new Planner(settings)
        .plan(Observations.of(Observations.registry("main", spec), NOW));

    assertThat(plan.registryImage()).isEqualTo(settings.registryImage());
    assertThat(plan.serverConfig()).isEqualTo(ServerConfigRenderer.render(spec));
    assertThat(plan.serverConfigHash()).isEqualTo(ServerConfigRenderer.hash(plan.serverConfig()));
    assertThat(plan.servingSecret()).contains("main-tls");
    assertThat(plan.trust()).map(t -> t.caPem()).contains(plan.selfSigned().orElseThrow().ca().certificate());
    assertThat(plan.authSecretData()).isEmpty();
    // no ClusterIP observed yet: node access waits and keeps no plan
    assertThat(plan.nodeAccessState().phase()).isEqualTo(NodeAccessState.Phase.WAITING);
    assertThat(plan.nodeAccessState().agentsWanted()).isFalse();
  }

  @Test
  void withTlsOffNothingIsMountedOrIssued() {
    RegistryPlan plan = new Planner(OperatorTestSupport.settings())
        .plan(Observations.of(Observations.registry("plain", new RegistrySpec()), NOW));
    assertThat(plan.selfSigned()).isEmpty();
    assertThat(plan.servingSecret()).isEmpty();
    assertThat(plan.trust()).map(t -> t.tls()).contains(false);
  }
}
