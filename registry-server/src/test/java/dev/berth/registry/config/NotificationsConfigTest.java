package dev.berth.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notifications.*}: distribution's endpoint keys unchanged, plus Berth's bounds. */
class NotificationsConfigTest {
  @TempDir Path tmp;

  @Test
  void readsDistributionsEndpointAndBerthsBounds() {
    RegistryConfig.Notifications notifications = new ConfigFixture(tmp).load("""
        notifications:
          events:
            includereferences: true
          endpoints:
            - name: alistener
              disabled: false
              url: https://my.listener.com/event
              headers:
                Authorization: [Bearer secret]
              timeout: 500ms
              threshold: 5
              backoff: 2s
              ignoredmediatypes:
                - application/octet-stream
              ignore:
                mediatypes: [application/vnd.oci.image.config.v1+json]
                actions: [pull]
              queuesize: 50
              maxretries: 3
              maxbackoff: 1m
              batchsize: 10
            - name: off
              disabled: true
              url: http://elsewhere/event
        """).config().notifications();
    assertThat(notifications.endpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.name()).isEqualTo("alistener");
      assertThat(endpoint.url()).isEqualTo(URI.create("https://my.listener.com/event"));
      assertThat(endpoint.headers()).isEqualTo(Map.of("Authorization", List.of("Bearer secret")));
      assertThat(endpoint.timeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(endpoint.threshold()).isEqualTo(5);
      assertThat(endpoint.backoff()).isEqualTo(Duration.ofSeconds(2));
      assertThat(endpoint.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
      assertThat(endpoint.maxRetries()).isEqualTo(3);
      assertThat(endpoint.queueSize()).isEqualTo(50);
      assertThat(endpoint.batchSize()).isEqualTo(10);
      assertThat(endpoint.ignoredMediaTypes())
          .isEqualTo(Set.of("application/octet-stream", "application/vnd.oci.image.config.v1+json"));
      assertThat(endpoint.ignoredActions()).isEqualTo(Set.of("pull"));
    });
  }

  @Test
  void defaultsAreDistributionsWithBerthsBounds() {
    RegistryConfig.NotificationEndpoint endpoint = new ConfigFixture(tmp).load("""
        notifications:
          endpoints:
            - name: ci
              url: http://127.0.0.1:8080/hook
        """).config().notifications().endpoints().get(0);
    assertThat(endpoint.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(endpoint.threshold()).isEqualTo(10);
    assertThat(endpoint.backoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(endpoint.queueSize()).isEqualTo(1000);
    assertThat(endpoint.maxRetries()).isEqualTo(20);
    assertThat(endpoint.batchSize()).isEqualTo(1);
  }

  @Test
  void noSectionNoEndpoints() {
    assertThat(new ConfigFixture(tmp).load("").config().notifications().endpoints()).isEmpty();
  }
}
