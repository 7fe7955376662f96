package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.config.OperatorSettings.Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void probesFollowTheOperatorsState() throws Exception {
    AtomicBoolean started = new AtomicBoolean(false);
    AtomicBoolean healthy = new AtomicBoolean(false);
    try (HealthEndpoints health = HealthEndpoints.start(new Address("127.0.0.1", 0), started::get, healthy::get)) {
      assertThat(status(health, "/healthz")).isEqualTo(503);
      started.set(true);
      assertThat(status(health, "/healthz")).isEqualTo(200);
      assertThat(status(health, "/readyz")).isEqualTo(503);
      healthy.set(true);
      assertThat(status(health, "/readyz")).isEqualTo(200);
      assertThat(status(health, "/readyz/extra")).isEqualTo(404);
    }
  }

  @Test
  void metricsAreServedAtMetricsOnlyWhenTheOperatorRecordsThem() throws Exception {
    try (HealthEndpoints without = HealthEndpoints.start(new Address("127.0.0.1", 0), () -> true, () -> true)) {
      assertThat(status(without, "/metrics")).isEqualTo(404);
    }
    try (HealthEndpoints with = HealthEndpoints.start(new Address("127.0.0.1", 0), () -> true, () -> true,
        () -> "# TYPE up gauge\nup 1.0\n")) {
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + with.port() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).isEqualTo("# TYPE up gauge\nup 1.0\n");
      assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(status(with, "/metrics/more")).isEqualTo(404);
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + with.port() + "/metrics"))
          .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
      assertThat(status(with, "/healthz")).isEqualTo(200);
    }
  }

  private int status(HealthEndpoints health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
