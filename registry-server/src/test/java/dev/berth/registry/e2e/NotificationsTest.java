package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth sends registry events to a receiver on loopback that refuses the first deliveries and answers slowly later:
 * every operation arrives once (by event id), in order per repository, and nothing else; a receiver that never
 * answers fills the bounded queue, events are dropped and counted, and pushes do not wait for it.
 */
class NotificationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";

  @TempDir Path temp;
  private HttpServer receiver;
  private final CountDownLatch release = new CountDownLatch(1);

  /** What the receiver accepted: each delivery's Content-Type and envelope. */
  private record Delivery(String contentType, JsonNode envelope) {}

  @AfterEach
  void stopReceiver() {
    release.countDown();
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void everyOperationArrivesOnceInOrderPerRepository() throws Exception {
    List<Delivery> accepted = new CopyOnWriteArrayList<>();
    AtomicInteger refusals = new AtomicInteger(3);
    URI url = startReceiver(exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (refusals.getAndDecrement() > 0) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      sleepQuietly(200); // slow, well inside the endpoint's timeout
      accepted.add(new Delivery(exchange.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body)));
      exchange.sendResponseHeaders(200, -1);
    });
    RegistryConfig config = BerthConfigs.loopback(temp.resolve("root"), 0).withNotifications(
        new RegistryConfig.Notifications(List.of(endpoint(url, 1000, 5, Duration.ofSeconds(5), 50))));
    Skopeo skopeo = Skopeo.require(temp);
    OciImage image = new OciImageFactory(temp.resolve("source"), 7).addImage("v1", 64 << 10, 1000);

    Set<List<String>> expected = new HashSet<>();
    try (BerthRegistry registry = BerthRegistry.start(config)) {
      String remote = Skopeo.docker(registry.hostPort(), "team/app", "v1");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "v1"), remote, CopyOption.PRESERVE_DIGESTS);
      for (Digest blob : blobs(image)) {
        expected.add(List.of("push", "team/app", blob.toString(), ""));
      }
      expected.add(List.of("push", "team/app", image.manifest().toString(), "v1"));

      skopeo.copy(remote, Skopeo.oci(temp.resolve("pulled"), "v1"), CopyOption.PRESERVE_DIGESTS);
      for (Digest blob : blobs(image)) {
        expected.add(List.of("pull", "team/app", blob.toString(), ""));
      }
      expected.add(List.of("pull", "team/app", image.manifest().toString(), "v1"));

      RegistryHttp http = new RegistryHttp(registry.hostPort());
      Digest layer = image.layers().get(0);
      assertThat(http.mount("team/other", layer.toString(), "team/app")).isEqualTo(201);
      expected.add(List.of("mount", "team/other", layer.toString(), ""));
      assertThat(http.deleteStatus("/v2/team/other/blobs/" + layer)).isEqualTo(202);
      expected.add(List.of("delete", "team/other", layer.toString(), ""));
      assertThat(http.deleteStatus("/v2/team/app/manifests/v1")).isEqualTo(202);
      expected.add(List.of("delete", "team/app", "", "v1"));
      assertThat(http.deleteStatus("/v2/team/app/manifests/" + image.manifest())).isEqualTo(202);
      expected.add(List.of("delete", "team/app", image.manifest().toString(), ""));

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> operations(distinctEvents(accepted)).equals(expected));
      assertThat(registry.notificationStats().get("receiver").attemptsFailed()).isGreaterThanOrEqualTo(3);
    }

    List<JsonNode> events = distinctEvents(accepted);
    assertThat(events).hasSize(expected.size()); // once each: no two events for one operation
    assertThat(accepted).allSatisfy(delivery -> assertThat(delivery.contentType()).isEqualTo(MEDIA_TYPE));
    assertThat(accepted).anySatisfy(delivery -> assertThat(delivery.envelope().get("events").size()).isGreaterThan(1));
    assertInOrder(events, "team/app", List.of("push", "pull", "delete"));
    assertInOrder(events, "team/other", List.of("mount", "delete"));
    for (JsonNode event : events) {
      assertThat(Instant.parse(event.get("timestamp").asText())).isNotNull();
      assertThat(event.at("/request/id").asText()).isNotBlank();
      assertThat(event.at("/request/addr").asText()).isEqualTo("127.0.0.1");
      assertThat(event.at("/request/host").asText()).startsWith("127.0.0.1:");
      assertThat(event.at("/source/instanceID").asText()).isNotBlank();
      assertThat(event.at("/source/addr").asText()).contains(":");
      assertThat(event.has("actor")).isTrue();
    }
    JsonNode manifestPush = events.stream().filter(e -> e.get("action").asText().equals("push")
        && e.at("/target/tag").asText().equals("v1")).findFirst().orElseThrow();
    assertThat(manifestPush.at("/target/mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifestPush.at("/target/size").asLong()).isEqualTo(image.manifestSize());
    assertThat(manifestPush.at("/target/length").asLong()).isEqualTo(image.manifestSize());
    assertThat(manifestPush.at("/target/url").asText()).endsWith("/v2/team/app/manifests/" + image.manifest());
    assertThat(manifestPush.at("/request/method").asText()).isEqualTo("PUT");
    assertThat(manifestPush.at("/request/useragent").asText()).isNotBlank();
    JsonNode mount = events.stream().filter(e -> e.get("action").asText().equals("mount")).findFirst().orElseThrow();
    assertThat(mount.at("/target/fromRepository").asText()).isEqualTo("team/app");
    JsonNode delete = events.stream().filter(e -> e.at("/target/repository").asText().equals("team/app")
        && e.get("action").asText().equals("delete") && e.at("/target/digest").isMissingNode())
        .findFirst().orElseThrow();
    // distribution: a tag deleted by name carries the repository and the tag, nothing else
    assertThat(delete.get("target").size()).as("%s", delete).isEqualTo(2);
    assertThat(delete.at("/target/tag").asText()).isEqualTo("v1");
    JsonNode manifestDelete = events.stream().filter(e -> e.get("action").asText().equals("delete")
        && e.at("/target/digest").asText().equals(image.manifest().toString())).findFirst().orElseThrow();
    // and a manifest deleted by digest the repository and the digest
    assertThat(manifestDelete.get("target").size()).as("%s", manifestDelete).isEqualTo(2);
  }

  @Test
  void aReceiverThatNeverAnswersCostsDroppedEventsNotSlowPushes() throws Exception {
    AtomicInteger arrived = new AtomicInteger();
    URI url = startReceiver(exchange -> {
      arrived.incrementAndGet();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
    });
    Duration timeout = Duration.ofSeconds(60);
    RegistryConfig config = BerthConfigs.loopback(temp.resolve("root"), 0).withNotifications(
        new RegistryConfig.Notifications(List.of(endpoint(url, 2, 1, timeout, 0))));
    Skopeo skopeo = Skopeo.require(temp);
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 9);
    factory.addImage("v1", 1000, 2000, 3000, 4000);
    factory.addImage("v2", 5000, 6000, 7000, 8000);

    try (BerthRegistry registry = BerthRegistry.start(config)) {
      long started = System.nanoTime();
      for (String tag : List.of("v1", "v2")) {
        skopeo.copy(Skopeo.oci(temp.resolve("source"), tag), Skopeo.docker(registry.hostPort(), "busy", tag),
            CopyOption.PRESERVE_DIGESTS);
      }
      Duration pushes = Duration.ofNanos(System.nanoTime() - started);
      // twelve events against one in flight and two queued: the rest are dropped, and no push waited on the receiver
      await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() == 1);
      assertThat(registry.notificationStats().get("receiver").dropped()).isGreaterThanOrEqualTo(12 - 1 - 2);
      assertThat(pushes).isLessThan(timeout);
      assertThat(registry.notificationStats().get("receiver").delivered()).isZero();
      release.countDown();
    }
  }

  private static RegistryConfig.NotificationEndpoint endpoint(URI url, int queueSize, int batchSize, Duration timeout,
      int maxRetries) {
    return new RegistryConfig.NotificationEndpoint("receiver", url, Map.of("Authorization", List.of("Bearer test")),
        timeout, 1, Duration.ofMillis(20), Duration.ofMillis(200), maxRetries, queueSize, batchSize, Set.of(), Set.of());
  }

  private interface Handler {
    void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
  }

  private URI startReceiver(Handler handler) throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/events", exchange -> {
      try (exchange) {
        handler.handle(exchange);
      }
    });
    receiver.setExecutor(Executors.newFixedThreadPool(2));
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
  }

  private static List<Digest> blobs(OciImage image) {
    List<Digest> blobs = new ArrayList<>(image.layers());
    blobs.add(image.config());
    return blobs;
  }

  /** Events in arrival order, each id once; a repeated id must repeat the same event (at-least-once delivery). */
  private static List<JsonNode> distinctEvents(List<Delivery> deliveries) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (Delivery delivery : deliveries) {
      for (JsonNode event : delivery.envelope().get("events")) {
        JsonNode earlier = byId.putIfAbsent(event.get("id").asText(), event);
        assertThat(earlier == null || earlier.equals(event)).as("id %s reused for another event", event.get("id")).isTrue();
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static Set<List<String>> operations(List<JsonNode> events) {
    Set<List<String>> operations = new HashSet<>();
    for (JsonNode event : events) {
      operations.add(List.of(event.get("action").asText(), event.at("/target/repository").asText(),
          event.at("/target/digest").asText(), event.at("/target/tag").asText()));
    }
    return operations;
  }

  /** The repository's actions, in arrival order, come in the order they were performed. */
  private static void assertInOrder(List<JsonNode> events, String repository, List<String> phases) {
    List<String> actions = events.stream().filter(e -> e.at("/target/repository").asText().equals(repository))
        .map(e -> e.get("action").asText()).toList();
    List<String> collapsed = new ArrayList<>();
    for (String action : actions) {
      if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(action)) {
        collapsed.add(action);
      }
    }
    assertThat(collapsed).as("actions on %s in arrival order: %s", repository, actions).isEqualTo(phases);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis); // the receiver's own slowness, not a wait in the test
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
