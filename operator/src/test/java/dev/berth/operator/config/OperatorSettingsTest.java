package dev.berth.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  static final BuildInfo BUILD =
      new BuildInfo("1.2.3", "ghcr.io/berth-dev/registry-server", "ghcr.io/berth-dev/operator");

  @Test
  void defaultsSuitADeveloper() {
    OperatorSettings s = OperatorSettings.defaults(BUILD);
    assertThat(s.registryImage()).isEqualTo("ghcr.io/berth-dev/registry-server:1.2.3");
    assertThat(s.namespaces()).isEmpty();
    assertThat(s.leaderElection()).isEmpty();
    assertThat(s.health()).contains(new OperatorSettings.Address("127.0.0.1", 8081));
    assertThat(s.recheck()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.nodeAgentImage()).isEqualTo("ghcr.io/berth-dev/operator:1.2.3");
  }

  @Test
  void nodeAgentImageCanBeMirrored() {
    assertThat(OperatorSettings.fromEnvironment(
        Map.of("BERTH_NODE_AGENT_IMAGE", " mirror.example/berth/operator:1.2.3 "), BUILD).nodeAgentImage())
        .isEqualTo("mirror.example/berth/operator:1.2.3");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("BERTH_NODE_AGENT_IMAGE", "a b"), BUILD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BERTH_NODE_AGENT_IMAGE");
  }

  @Test
  void environmentOverridesEverything() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of(
        "BERTH_REGISTRY_IMAGE", "mirror.example/berth/registry-server:1.2.3",
        "BERTH_WATCH_NAMESPACES", "team-a, team-b,,",
        "BERTH_LEADER_ELECTION", "true",
        "POD_NAMESPACE", "berth-system",
        "BERTH_HEALTH_ADDR", ":9090",
        "BERTH_RECHECK_SECONDS", "5"), BUILD);
    assertThat(s.registryImage()).isEqualTo("mirror.example/berth/registry-server:1.2.3");
    assertThat(s.namespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(s.leaderElection()).contains(
        new OperatorSettings.LeaseSettings(OperatorSettings.DEFAULT_LEASE_NAME, "berth-system", true));
    assertThat(s.health()).contains(new OperatorSettings.Address("", 9090));
    assertThat(s.recheck()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void leaseNamespaceCanBeNamedExplicitly() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of(
        "BERTH_LEADER_ELECTION", "true", "BERTH_LEASE_NAMESPACE", "ops", "BERTH_LEASE_NAME", "berth"), BUILD);
    assertThat(s.leaderElection()).contains(new OperatorSettings.LeaseSettings("berth", "ops", true));
  }

  @Test
  void healthEndpointsCanBeTurnedOff() {
    assertThat(OperatorSettings.fromEnvironment(Map.of("BERTH_HEALTH_ADDR", "off"), BUILD).health()).isEmpty();
  }

  @Test
  void badValuesNameTheirVariable() {
    assertRefused(Map.of("BERTH_LEADER_ELECTION", "yes"), "BERTH_LEADER_ELECTION=yes");
    assertRefused(Map.of("BERTH_LEADER_ELECTION", "true"), "BERTH_LEASE_NAMESPACE or POD_NAMESPACE");
    assertRefused(Map.of("BERTH_HEALTH_ADDR", "8081"), "BERTH_HEALTH_ADDR=8081");
    assertRefused(Map.of("BERTH_HEALTH_ADDR", ":http"), "not a number");
    assertRefused(Map.of("BERTH_HEALTH_ADDR", ":70000"), "0-65535");
    assertRefused(Map.of("BERTH_RECHECK_SECONDS", "0"), "BERTH_RECHECK_SECONDS=0");
    assertRefused(Map.of("BERTH_RECHECK_SECONDS", "soon"), "whole seconds");
    assertRefused(Map.of("BERTH_WATCH_NAMESPACES", "Team_A"), "'Team_A' is not a namespace name");
    assertRefused(Map.of("BERTH_REGISTRY_IMAGE", "a b"), "BERTH_REGISTRY_IMAGE");
  }

  @Test
  void buildInfoIsFilteredIntoTheJar() {
    BuildInfo build = BuildInfo.load();
    assertThat(build.version()).isNotBlank().doesNotContain("${");
    assertThat(build.defaultRegistryImage()).isEqualTo("ghcr.io/berth-dev/registry-server:" + build.version());
  }

  private static void assertRefused(Map<String, String> env, String message) {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env, BUILD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
