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
        Duration.ofHours(48)));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> load("gc:\n  interval: often\n", Map.of())).hasMessageContaining("gc.interval");
    assertThatThrownBy(() -> load("gc:\n  gracePeriod: -1h\n", Map.of())).hasMessageContaining("gc.gracePeriod");
    assertThatThrownBy(() -> load("gc:\n  deleteUntagged: maybe\n", Map.of())).hasMessageContaining("gc.deleteUntagged");
    assertThatThrownBy(() -> load("gc:\n  grace: 1h\n", Map.of())).hasMessageContaining("gc.grace");
  }
}
