package dev.berth.registry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.config.RegistryConfig.NotificationEndpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue, retry and backoff logic of one endpoint, driven by hand: no sockets, no threads, no real waits. */
class EndpointSenderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Duration> waits = new ArrayList<>();
  private final List<List<String>> posted = new ArrayList<>();

  @Test
  void retriesAFailedBatchBeforeLaterEventsWithDoublingCappedWaits() throws Exception {
    // refuses the first five attempts: two immediate retries (threshold 3), then 100ms, 200ms, 400ms (capped)
    int[] refusals = {5};
    EndpointSender sender = sender(endpoint(3, 10, 10, 1), envelope -> refusals[0]-- > 0 ? 500 : 202);
    sender.offer(event("a"));
    sender.offer(event("b"));

    assertThat(sender.deliverNext(0, TimeUnit.MILLISECONDS)).isEqualTo(1);
    assertThat(sender.deliverNext(0, TimeUnit.MILLISECONDS)).isEqualTo(1);

    assertThat(posted).containsExactly(List.of("a"), List.of("a"), List.of("a"), List.of("a"), List.of("a"),
        List.of("a"), List.of("b"));
    assertThat(waits).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(400));
    assertThat(sender.stats().delivered()).isEqualTo(2);
    assertThat(sender.stats().attemptsFailed()).isEqualTo(5);
    assertThat(sender.stats().failed()).isZero();
  }

  @Test
  void dropsABatchAfterItsLastRetryAndGoesOn() throws Exception {
    EndpointSender sender = sender(endpoint(1, 2, 10, 1), envelope -> {
      throw new IOException("connection refused");
    });
    sender.offer(event("a"));
    assertThat(sender.deliverNext(0, TimeUnit.MILLISECONDS)).isEqualTo(1);
    assertThat(posted).hasSize(3); // the first attempt and two retries
    assertThat(sender.stats().failed()).isEqualTo(1);
    assertThat(sender.stats().delivered()).isZero();
  }

  @Test
  void aFullQueueDropsAndCountsWithoutWaiting() {
    EndpointSender sender = sender(endpoint(1, 0, 2, 1), envelope -> 200);
    assertThat(sender.offer(event("a"))).isTrue();
    assertThat(sender.offer(event("b"))).isTrue();
    assertThat(sender.offer(event("c"))).isFalse();
    assertThat(sender.offer(event("d"))).isFalse();
    assertThat(sender.stats().dropped()).isEqualTo(2);
  }

  @Test
  void waitingEventsShareOneEnvelopeUpToTheBatchSizeInOrder() throws Exception {
    EndpointSender sender = sender(endpoint(1, 0, 10, 2), envelope -> 200);
    for (String id : List.of("a", "b", "c")) {
      sender.offer(event(id));
    }
    assertThat(sender.deliverNext(0, TimeUnit.MILLISECONDS)).isEqualTo(2);
    assertThat(sender.deliverNext(0, TimeUnit.MILLISECONDS)).isEqualTo(1);
    assertThat(posted).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void threeHundredsCountAsDeliveredAsInDistribution() throws Exception {
    EndpointSender sender = sender(endpoint(1, 0, 10, 1), envelope -> 302);
    sender.offer(event("a"));
    sender.deliverNext(0, TimeUnit.MILLISECONDS);
    assertThat(sender.stats().delivered()).isEqualTo(1);
  }

  @Test
  void jitterKeepsHalfTheWaitFixed() {
    Backoff backoff = new Backoff(1, Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(backoff.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.delay(1, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(4, () -> 1.0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.delay(1000, () -> 1.0)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void ignoredActionsAndMediaTypesAreNotQueued() {
    NotificationEndpoint endpoint = new NotificationEndpoint("e", URI.create("http://127.0.0.1:1/"), Map.of(),
        Duration.ofSeconds(1), 1, Duration.ofMillis(1), Duration.ofMillis(1), 0, 10, 1,
        Set.of("application/octet-stream"), Set.of("pull"));
    assertThat(Notifier.accepts(endpoint, event("a"))).isTrue();
    assertThat(Notifier.accepts(endpoint, withAction(event("b"), Event.PULL))).isFalse();
    Event blob = new Event("c", "t", Event.PUSH, new Event.Target("application/octet-stream", 1L, "sha256:x", 1L, "r",
        null, null, null, null), null, new Event.Actor(null), null);
    assertThat(Notifier.accepts(endpoint, blob)).isFalse();
  }

  private EndpointSender sender(NotificationEndpoint endpoint, Delivery delivery) {
    Delivery recording = envelope -> {
      List<String> ids = new ArrayList<>();
      for (JsonNode event : JSON.readTree(envelope).get("events")) {
        ids.add(event.get("id").asText());
      }
      posted.add(ids);
      return delivery.post(envelope);
    };
    return new EndpointSender(endpoint, recording, waits::add, () -> 1.0);
  }

  private static NotificationEndpoint endpoint(int threshold, int maxRetries, int queueSize, int batchSize) {
    return new NotificationEndpoint("test", URI.create("http://127.0.0.1:1/"), Map.of(), Duration.ofSeconds(1),
        threshold, Duration.ofMillis(100), Duration.ofMillis(400), maxRetries, queueSize, batchSize, Set.of(), Set.of());
  }

  private static Event event(String id) {
    return new Event(id, "2026-01-01T00:00:00Z", Event.PUSH, new Event.Target("application/vnd.oci.image.manifest.v1+json",
        2L, "sha256:ab", 2L, "repo", null, null, "v1", null), null, new Event.Actor(null), null);
  }

  private static Event withAction(Event event, String action) {
    return new Event(event.id(), event.timestamp(), action, event.target(), event.request(), event.actor(),
        event.source());
  }
}
