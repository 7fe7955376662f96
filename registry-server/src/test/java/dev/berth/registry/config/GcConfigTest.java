package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gc.*}: off by default, durations in distribution's form, environment overrides, errors naming the key. */
class GcConfigTest {
  @TempDir Path tmp;

  RegistryConfig.Gc load(String yaml, Map<String, String> env) {
    return new ConfigFixture(tmp).load(yaml, env).config().gc();
  }

  @Test
  void offByDefaultWithAnHourOfGrace() {
    assertThat(load("version: 0.1\n", Map.of())).isEqualTo(RegistryConfig.Gc.DEFAULTS);
    assertThat(RegistryConfig.Gc.DEFAULTS.enabled()).isFalse();
    assertThat(RegistryConfig.Gc.DEFAULTS.gracePeriod()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void valuesFromTheFileAndTheEnvironment() {
    String yaml = """
        gc:
          enabled: true
          interval: 30m
          gracePeriod: 2h
          deleteUntagged: true
          uploadMaxAge: 48h
        """;
    RegistryConfig.Gc gc = load(yaml, Map.of("REGISTRY_GC_DRYRUN", "true", "REGISTRY_GC_GRACEPERIOD", "90m"));
    assertThat(gc).isEqualTo(new RegistryConfig.Gc(true, Duration.ofMinutes(30), Duration.ofMinutes(90), true, true,
        Duration.ofHours(48), RegistryConfig.Retention.NONE));
  }

  @Test
  void retentionPolicies() {
    String yaml = """
        gc:
          retention:
            delay: 48h
            policies:
              - repositories: ["ci/*", tmp]
                deleteUntagged: true
                keepTags:
                  - {patterns: ["v\\\\d+.*"], mostRecentlyPushedCount: 5}
                  - {pushedWithin: 168h, pulledWithin: 24h}
        """;
    RegistryConfig.Retention retention = load(yaml, Map.of()).retention();
    assertThat(retention).isEqualTo(new RegistryConfig.Retention(Duration.ofHours(48), java.util.List.of(
        new RegistryConfig.RetentionPolicy(java.util.List.of("ci/*", "tmp"), true, java.util.List.of(
            new RegistryConfig.KeepTags(java.util.List.of("v\\d+.*"), 5, null, null),
            new RegistryConfig.KeepTags(java.util.List.of(), null, Duration.ofHours(168), Duration.ofHours(24)))))));
  }

  @Test
  void badRetentionNamesTheEntry() {
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies: {}\n", Map.of()))
        .hasMessageContaining("gc.retention.policies");
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies:\n      - {keepTags: []}\n", Map.of()))
        .hasMessageContaining("gc.retention.policies[0].repositories");
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies:\n      - {repositories: [a], keep: []}\n", Map.of()))
        .hasMessageContaining("gc.retention.policies[0].keep");
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies:\n      - repositories: [a]\n"
        + "        keepTags: [{patterns: ['(']}]\n", Map.of()))
        .hasMessageContaining("gc.retention.policies[0].keepTags[0].patterns");
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies:\n      - repositories: [a]\n"
        + "        keepTags: [{mostRecentlyPushedCount: 0}]\n", Map.of()))
        .hasMessageContaining("mostRecentlyPushedCount");
    assertThatThrownBy(() -> load("gc:\n  retention:\n    policies:\n      - repositories: [a]\n"
        + "        keepTags: [{pushedWithin: soon}]\n", Map.of()))
        .hasMessageContaining("gc.retention.policies[0].keepTags[0].pushedWithin");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> load("gc:\n  interval: often\n", Map.of())).hasMessageContaining("gc.interval");
    assertThatThrownBy(() -> load("gc:\n  gracePeriod: -1h\n", Map.of())).hasMessageContaining("gc.gracePeriod");
    assertThatThrownBy(() -> load("gc:\n  deleteUntagged: maybe\n", Map.of())).hasMessageContaining("gc.deleteUntagged");
    assertThatThrownBy(() -> load("gc:\n  grace: 1h\n", Map.of())).hasMessageContaining("gc.grace");
  }
}
