package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code http.timeouts} and {@code http.limits}: defaults, Go-style durations, env overrides, refused values. */
class NetworkLimitsConfigTest {
  @TempDir Path tmp;

  RegistryConfig.Http load(String yaml, Map<String, String> env) {
    return new ConfigFixture(tmp).load(yaml, env).config().http();
  }

  @Test
  void defaultsAreNginxLike() {
    RegistryConfig.Http http = load("version: 0.1\n", Map.of());
    assertThat(http.timeouts()).isEqualTo(new RegistryConfig.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60),
        Duration.ofSeconds(75), Duration.ofSeconds(60)));
    assertThat(http.limits()).isEqualTo(new RegistryConfig.Limits(0, 0));
  }

  @Test
  void valuesFromTheFileAndFromTheEnvironment() {
    String yaml = """
        http:
          timeouts:
            header: 1m30s
            body: 500ms
          limits:
            connections: 5000
            connectionsPerClient: 20
        """;
    RegistryConfig.Http http = load(yaml, Map.of("REGISTRY_HTTP_TIMEOUTS_IDLE", "2h",
        "REGISTRY_HTTP_LIMITS_CONNECTIONSPERCLIENT", "30"));
    assertThat(http.timeouts()).isEqualTo(new RegistryConfig.Timeouts(Duration.ofSeconds(90), Duration.ofMillis(500),
        Duration.ofHours(2), Duration.ofSeconds(60)));
    assertThat(http.limits()).isEqualTo(new RegistryConfig.Limits(5000, 30));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "60s       | PT60S",
      "1m30s     | PT1M30S",
      "500ms     | PT0.5S",
      "1.5h      | PT1H30M",
      "2h45m10s  | PT2H45M10S",
      "250us     | PT0.00025S",
      "100ns     | PT0.0000001S"})
  void goDurations(String text, String expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "http.timeouts.header: 60         | http.timeouts.header: '60' is not a duration; write it as 60s, 1m30s or 500ms",
      "http.timeouts.body: -5s          | http.timeouts.body: '-5s' is negative",
      "http.timeouts.idle: soon         | http.timeouts.idle: 'soon' is not a duration",
      "http.timeouts.send: 10 s         | http.timeouts.send: '10 s' is not a duration",
      "http.timeouts.send: 0            | http.timeouts.send: must be at least 1ms, found '0'",
      "http.timeouts.header: 1d         | http.timeouts.header: '1d' is not a duration",
      "http.limits.connections: -1      | http.limits.connections: must be 0 (automatic/off) or a positive number, found -1",
      "http.limits.connectionsPerClient: many | http.limits.connectionsPerClient: expected a whole number, found 'many'"})
  void badValuesAreRefusedNamingTheKey(String setting, String expected) {
    String[] parts = setting.split(": ", 2);
    String[] path = parts[0].split("\\.");
    String yaml = path[0] + ":\n  " + path[1] + ":\n    " + path[2] + ": \"" + parts[1] + "\"\n";
    assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> load("version: 0.1\n", Map.of("REGISTRY_HTTP_TIMEOUTS_HEADER", "fast")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.timeouts.header: 'fast' is not a duration; write it as 60s, 1m30s or 500ms "
            + "(set by REGISTRY_HTTP_TIMEOUTS_HEADER)");
  }

  @Test
  void anUnknownKeyUnderTimeoutsIsRefused() {
    assertThatThrownBy(() -> load("http:\n  timeouts:\n    read: 5s\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'http.timeouts.read' (known keys under 'http.timeouts': body, header, idle, send)");
  }
}
