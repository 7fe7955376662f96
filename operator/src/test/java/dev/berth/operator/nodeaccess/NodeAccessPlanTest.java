package dev.berth.operator.nodeaccess;

import dev.berth.operator.tls.CertificateAuthority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

public class NodeAccessPlanTest {
  private static final String CA = CertificateAuthority.newCa("plan-test-ca", java.time.Instant.now()).certificate();

  public static NodeAccessPlan plan(boolean tls, List<Runtime> runtimes) {
    return new NodeAccessPlan(true, "registry/main",
        List.of("main.registry.svc.cluster.local:5000", "main.registry.svc:5000"), "10.96.12.34:5000", tls,
        tls ? CA : null, runtimes, null, null);
  }

  static String json(String caPem) {
    return """
        {"enabled": true, "registry": "registry/main",
         "hosts": ["main.registry.svc.cluster.local:5000", "main.registry.svc:5000", "registry.example.com:443"],
         "endpoint": "10.96.12.34:5000", "tls": true, "caPem": %s,
         "runtimes": ["containerd", "docker", "k3s"],
         "containerd": {"patchConfigToml": true},
         "nodeLocal": {"enabled": true, "port": 5001}}
        """.formatted(com.fasterxml.jackson.databind.node.TextNode.valueOf(caPem).toString());
  }

  @Test
  void parsesAFullPlan() {
    NodeAccessPlan plan = NodeAccessPlan.parse(json(CA));

    assertThat(plan.enabled()).isTrue();
    assertThat(plan.hostPorts()).extracting(HostPort::authority)
        .containsExactly("main.registry.svc.cluster.local:5000", "main.registry.svc:5000", "registry.example.com:443");
    assertThat(plan.endpointAddress()).isEqualTo(new HostPort("10.96.12.34", 5000));
    assertThat(plan.scheme()).isEqualTo("https");
    assertThat(plan.runtimes()).containsExactly(Runtime.CONTAINERD, Runtime.DOCKER, Runtime.K3S);
    assertThat(plan.containerd().patchConfigToml()).isTrue();
    assertThat(plan.containerd().configToml()).isEqualTo("/etc/containerd/config.toml");
    assertThat(plan.containerd().configPath()).isEqualTo("/etc/containerd/certs.d");
    assertThat(plan.nodeLocalEnabled()).isTrue();
    assertThat(plan.nodeLocal().port()).isEqualTo(5001);
    assertThat(plan.registryFileName()).isEqualTo("registry_main");
  }

  @Test
  void survivesARoundTripThroughJson() {
    NodeAccessPlan plan = NodeAccessPlan.parse(json(CA));
    assertThat(NodeAccessPlan.parse(plan.toJson())).isEqualTo(plan);
  }

  @Test
  void aDisabledPlanNeedsOnlyTheRegistry() {
    NodeAccessPlan plan = NodeAccessPlan.parse("{\"enabled\": false, \"registry\": \"team-a/cache\"}");
    assertThat(plan.enabled()).isFalse();
    assertThat(plan.hosts()).isEmpty();
  }

  @Test
  void plainHttpIgnoresTheCa() {
    NodeAccessPlan plan = plan(false, List.of(Runtime.DOCKER));
    assertThat(plan.scheme()).isEqualTo("http");
    assertThat(plan.caPem()).isNull();
  }

  @Test
  void acceptsIpv6Endpoints() {
    String json = json(CA).replace("10.96.12.34:5000", "[fd00:10:96::c]:5000");
    assertThat(NodeAccessPlan.parse(json).endpointAddress().host()).isEqualTo("[fd00:10:96::c]");
  }

  @Test
  void refusesBadInputWithAMessageNamingTheField() {
    String valid = json(CA);
    assertRefused("", "plan is empty");
    assertRefused("[1]", "not a valid node-access plan");
    assertRefused("{not json", "not a valid node-access plan");
    assertRefused(valid.replace("\"tls\"", "\"tlsx\""), "tlsx");
    assertRefused(valid.replace("registry/main", "Registry/Main"), "registry \"Registry/Main\"");
    assertRefused(valid.replace("registry/main", "main"), "<namespace>/<name>");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"main.registry.svc\""), "hosts[1]");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"https://main.registry.svc:5000\""),
        "without scheme or path");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"main.registry.svc:70000\""), "outside 1-65535");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"Main.Registry:5000\""), "invalid host");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"bad_name.svc:5000\""), "invalid host");
    assertRefused(valid.replace("\"main.registry.svc:5000\"", "\"main.registry.svc.cluster.local:5000\""),
        "listed twice");
    assertRefused(valid.replace("10.96.12.34:5000", "10.96.12.300:5000"), "endpoint");
    assertRefused(valid.replace("10.96.12.34:5000", ""), "endpoint is empty");
    assertRefused(valid.replace("\"k3s\"", "\"cri-o\""), "unknown runtime \"cri-o\"");
    assertRefused(valid.replace("[\"containerd\", \"docker\", \"k3s\"]", "[]"), "runtimes is empty");
    assertRefused(valid.replace("[\"containerd\", \"docker\", \"k3s\"]", "[\"docker\", \"docker\"]"),
        "repeated");
    assertRefused(valid.replace("\"port\": 5001", "\"port\": 0"), "nodeLocal.port");
    assertRefused(json(""), "caPem is empty but tls is true");
    assertRefused(json("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"), "caPem");
    assertRefused(valid.replace("{\"patchConfigToml\": true}", "{\"configPath\": \"relative/dir\"}"),
        "absolute host paths");
    assertRefused(valid.replace("{\"patchConfigToml\": true}", "{\"configPath\": \"/a:/b\"}"),
        "single directory");
    assertRefused(valid.replace("\"enabled\": true,", "\"enabled\": true, \"mirrorz\": {},"), "\"mirrorz\"");
    assertRefused(valid.replace("\"registry\": \"registry/main\",", "\"registry\": \"registry/main\", \"mirrors\": [{\"host\": \"Docker.IO\", "
        + "\"server\": \"https://registry-1.docker.io\"}],"), "mirrors[].host \"Docker.IO\"");
    assertRefused(valid.replace("\"registry\": \"registry/main\",", "\"registry\": \"registry/main\", \"mirrors\": [{\"host\": \"docker.io\", "
        + "\"server\": \"registry-1.docker.io\"}],"), "mirrors[].server");
    assertRefused(valid.replace("\"registry\": \"registry/main\",", "\"registry\": \"registry/main\", \"mirrors\": [{\"host\": \"quay.io\", "
        + "\"server\": \"https://quay.io\"}, {\"host\": \"quay.io\", \"server\": \"https://quay.io\"}],"), "twice");
    assertRefused(valid.replace("\"hosts\": [\"main", "\"hosts\": [null, \"main"), "must not contain null");
  }

  private static void assertRefused(String json, String messagePart) {
    assertThatThrownBy(() -> NodeAccessPlan.parse(json))
        .as("plan %s", json)
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining(messagePart);
  }
}
