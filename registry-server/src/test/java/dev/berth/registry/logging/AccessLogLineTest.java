package dev.berth.registry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogLineTest {
  private static final Instant TIME = Instant.parse("2026-11-24T21:05:00.123456Z");

  private static AccessLogLine line(String path, String user, String agent) {
    return new AccessLogLine(TIME, "PUT", path, 201, 0, Duration.ofMillis(12), "10.1.2.3", user, agent);
  }

  @Test
  void oneStructuredLineWithEveryField() {
    assertThat(line("/v2/team-a/app/manifests/1.0", "alice", "docker/24.0.7 go/go1.21.3").toLogfmt(Map.of()))
        .isEqualTo("time=2026-11-24T21:05:00.123Z method=PUT path=/v2/team-a/app/manifests/1.0 status=201 bytes=0 "
            + "duration_ms=12.000 client=10.1.2.3 user=alice user_agent=\"docker/24.0.7 go/go1.21.3\"");
  }

  @Test
  void configuredFieldsComeFirstInTheirOrder() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("service", "registry");
    fields.put("environment", "staging");

    assertThat(line("/v2/", "", null).toLogfmt(fields))
        .startsWith("service=registry environment=staging time=")
        .endsWith("user=\"\" user_agent=\"\"");
  }

  @Test
  void credentialsInTheQueryStringAreRedacted() {
    String logged = line("/auth/token?service=berth&account=alice&password=hunter2&Token=abc&scope=repository:a:pull",
        "alice", "curl").toLogfmt(Map.of());

    assertThat(logged)
        .contains("path=\"/auth/token?service=berth&account=alice&password=REDACTED&Token=REDACTED&scope=repository:a:pull\"")
        .doesNotContain("hunter2").doesNotContain("abc");
  }

  @Test
  void registryQueryStringsAreKept() {
    assertThat(AccessLogLine.redactSecrets("/v2/a/blobs/uploads/?mount=sha256:ab&from=b")).isEqualTo(
        "/v2/a/blobs/uploads/?mount=sha256:ab&from=b");
    assertThat(AccessLogLine.redactSecrets("/v2/_catalog?n=10&last=")).isEqualTo("/v2/_catalog?n=10&last=");
    assertThat(AccessLogLine.redactSecrets("/v2/?token")).isEqualTo("/v2/?token");
    assertThat(AccessLogLine.redactSecrets(null)).isEmpty();
  }

  @Test
  void aHostilePathOrAgentCannotForgeASecondLine() {
    String logged = line("/v2/a\nmethod=DELETE", "x", "evil\r\nstatus=200").toLogfmt(Map.of());
    assertThat(logged).doesNotContain("\n").doesNotContain("\r").contains("path=\"/v2/a\\nmethod=DELETE\"");
  }
}
