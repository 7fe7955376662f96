package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.debug.*}: registry:2's debug listener and its Prometheus switch, from the file and the environment. */
class DebugConfigTest {
  @TempDir
  Path tmp;
  ConfigFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ConfigFixture(tmp);
  }

  @Test
  void withoutAnAddressThereIsNoDebugListener() {
    RegistryConfig.Http http = fixture.load("http:\n  addr: :5000\n").config().http();

    assertThat(http.debug()).isNull();
    assertThat(http.metricsEnabled()).isFalse();
  }

  @Test
  void registry2sDebugSectionLoads() {
    RegistryConfig.Http http = fixture.load("""
        http:
          debug:
            addr: 127.0.0.1:5001
            prometheus:
              enabled: true
              path: /debug/metrics
        """).config().http();

    assertThat(http.debug()).isEqualTo(new RegistryConfig.Debug("127.0.0.1", 5001, true, "/debug/metrics"));
    assertThat(http.metricsEnabled()).isTrue();
  }

  @Test
  void thePathDefaultsToMetricsAndPrometheusToOff() {
    RegistryConfig.Http http = fixture.load("http:\n  debug:\n    addr: :5001\n").config().http();

    assertThat(http.debug()).isEqualTo(new RegistryConfig.Debug("0.0.0.0", 5001, false, "/metrics"));
    assertThat(http.metricsEnabled()).isFalse();
  }

  @Test
  void environmentVariablesSetEveryKey() {
    LoadedConfig loaded = fixture.load(null, Map.of(
        "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:5101",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "/prom"));

    assertThat(loaded.config().http().debug()).isEqualTo(new RegistryConfig.Debug("127.0.0.1", 5101, true, "/prom"));
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> fixture.load(null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", "5001")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.debug.addr: '5001' is not [host]:port; write ':5000' or '127.0.0.1:5000'"
            + " (set by REGISTRY_HTTP_DEBUG_ADDR)");
    assertThatThrownBy(() -> fixture.load(null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", ":5001",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "sometimes")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.debug.prometheus.enabled: expected true or false, found 'sometimes'"
            + " (set by REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED)");
  }

  @Test
  void portZeroAsksForAFreePortLikeHttpAddr() {
    RegistryConfig.Http http = fixture.load("http:\n  addr: :0\n  debug:\n    addr: 127.0.0.1:0\n"
        + "    prometheus:\n      enabled: true\n").config().http();

    assertThat(http.debug().port()).isZero();
  }
}
