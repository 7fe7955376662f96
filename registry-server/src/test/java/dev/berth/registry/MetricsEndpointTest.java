package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.cli.RunningServer;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.LoopbackPorts;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.PrometheusText;
import dev.berth.registry.testsupport.Promtool;
import dev.berth.registry.testsupport.ReferenceRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.tls.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics as a scraper sees them: the real server (Main's wiring) with {@code http.debug} on a loopback port, real
 * requests on the registry port, the exposition checked by promtool and every counter moved by exactly the requests
 * made.
 */
class MetricsEndpointTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String REPO = "metrics/app";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @TempDir
  Path tmp;

  private RegistryConfig withDebug(RegistryConfig base, RegistryConfig.Debug debug) {
    return new RegistryConfig(base.log(), base.http().withDebug(debug), base.storage(), base.auth(), base.gc(),
        base.proxy());
  }

  @Test
  void aPushAndAPullMoveExactlyTheirCountersAndTheExpositionPassesPromtool() throws Exception {
    Promtool promtool = Promtool.require();
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0),
        RegistryConfig.Debug.prometheus("127.0.0.1", 0));
    byte[] layer = new byte[300_000];
    new Random(15).nextBytes(layer);
    byte[] imageConfig = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);

    try (RunningServer server = Main.launch(config)) {
      String registry = "http://127.0.0.1:" + server.port();
      String debug = "http://127.0.0.1:" + server.debugPort();
      BlobTransfer blobs = new BlobTransfer("127.0.0.1:" + server.port());
      // push: two blobs (POST, PATCH, PUT each), then the manifest
      BlobTransfer.Transferred layerSent = blobs.push(REPO, new ByteArrayInputStream(layer), layer.length);
      BlobTransfer.Transferred configSent = blobs.push(REPO, new ByteArrayInputStream(imageConfig), imageConfig.length);
      byte[] manifest = manifest(configSent, layerSent).getBytes(StandardCharsets.UTF_8);
      assertThat(send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + REPO + "/manifests/v1"))
          .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))).statusCode())
          .isEqualTo(201);
      // pull: the manifest, then the layer
      assertThat(send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + REPO + "/manifests/v1"))
          .header("Accept", OCI_MANIFEST).GET()).statusCode()).isEqualTo(200);
      assertThat(blobs.pull(REPO, layerSent.digest()).length()).isEqualTo(layer.length);
      // the main port serves the registry only
      assertThat(send(HttpRequest.newBuilder(URI.create(registry + "/metrics")).GET()).statusCode()).isEqualTo(404);

      // a request is recorded once its response is written, which may be a moment after the client has read it
      PrometheusText text = await().atMost(Duration.ofSeconds(10)).until(() -> scrape(debug),
          t -> t.valueOrZero("registry_http_requests_total", "handler", "unknown", "code", "404", "method", "get") == 1);

      assertThat(requests(text, "blob_upload", "202", "post")).isEqualTo(2);
      assertThat(requests(text, "blob_upload_chunk", "202", "patch")).isEqualTo(2);
      assertThat(requests(text, "blob_upload_chunk", "201", "put")).isEqualTo(2);
      assertThat(requests(text, "manifest", "201", "put")).isEqualTo(1);
      assertThat(requests(text, "manifest", "200", "get")).isEqualTo(1);
      assertThat(requests(text, "blob", "200", "get")).isEqualTo(1);
      assertThat(text.all("registry_http_requests_total").stream().mapToDouble(PrometheusText.Sample::value).sum())
          .as("no request but these ten").isEqualTo(10);

      assertThat(text.type("registry_http_request_duration_seconds")).contains("histogram");
      assertThat(text.value("registry_http_request_duration_seconds_count", "handler", "manifest", "method", "put"))
          .contains(1.0);
      assertThat(text.value("registry_http_request_duration_seconds_bucket",
          "handler", "manifest", "method", "put", "le", "+Inf")).contains(1.0);
      assertThat(text.value("registry_http_request_duration_seconds_bucket",
          "handler", "blob_upload_chunk", "method", "patch", "le", "60.0")).contains(2.0);

      assertThat(text.value("registry_http_request_size_bytes_sum", "handler", "blob_upload_chunk"))
          .contains((double) (layer.length + imageConfig.length));
      assertThat(text.value("registry_http_request_size_bytes_sum", "handler", "manifest"))
          .contains((double) manifest.length);
      assertThat(text.value("registry_http_response_size_bytes_sum", "handler", "blob")).contains((double) layer.length);
      assertThat(text.value("registry_http_response_size_bytes_sum", "handler", "manifest"))
          .contains((double) manifest.length);

      assertThat(text.all("registry_http_in_flight_requests")).hasSizeGreaterThanOrEqualTo(8)
          .allSatisfy(sample -> assertThat(sample.value()).as(sample.labels().toString()).isZero());
      assertThat(text.value("registry_uploads_in_flight")).contains(0.0);
      assertThat(text.valueOrZero("registry_storage_action_seconds_count", "driver", "filesystem", "action", "PutContent"))
          .as("links and the manifest are written through the driver").isGreaterThanOrEqualTo(3);
      assertThat(text.valueOrZero("registry_storage_action_seconds_count", "driver", "filesystem", "action", "Reader"))
          .isEqualTo(1);

      promtool.checkMetrics(text.text(), tmp).assertSuccess();
      HttpResponse<String> elsewhere = send(HttpRequest.newBuilder(URI.create(debug + "/v2/")).GET());
      assertThat(elsewhere.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void pullThroughCacheHitsAndMissesAreCountedPerType() throws Exception {
    Skopeo skopeo = Skopeo.require(tmp);
    OciImage image = new OciImageFactory(tmp.resolve("source"), 15).addImage("v1", 120_000);
    Path root = tmp.resolve("berth-root");
    RegistryConfig cached = BerthConfigs.loopback(root, 0);
    try (ReferenceRegistry upstream = ReferenceRegistry.start(tmp.resolve("upstream-root"), tmp)) {
      skopeo.copy(Skopeo.oci(tmp.resolve("source"), "v1"), Skopeo.docker(upstream.hostPort(), "library/app", "v1"),
          Skopeo.CopyOption.PRESERVE_DIGESTS);
      RegistryConfig config = withDebug(cached.withProxy(new RegistryConfig.Proxy(List.of(new RegistryConfig.Upstream(
          "hub", URI.create("http://" + upstream.hostPort()), "docker.io", RegistryConfig.UpstreamCredentials.ANONYMOUS,
          null, Duration.ofMinutes(10), null)))), RegistryConfig.Debug.prometheus("127.0.0.1", 0));

      try (RunningServer server = Main.launch(config)) {
        String base = "http://127.0.0.1:" + server.port() + "/v2/hub/app";
        for (int i = 0; i < 2; i++) { // the first pull fetches, the second (within the tag's TTL) is served from storage
          assertThat(send(HttpRequest.newBuilder(URI.create(base + "/manifests/v1")).header("Accept", OCI_MANIFEST)
              .GET()).statusCode()).isEqualTo(200);
        }
        String layer = base + "/blobs/" + image.layers().get(0);
        assertThat(send(HttpRequest.newBuilder(URI.create(layer)).GET()).statusCode()).isEqualTo(200);
        // the fetched blob is committed after its last byte went out: the second GET must find it stored
        Path stored = root.resolve("docker/registry/v2/blobs/sha256")
            .resolve(image.layers().get(0).hex().substring(0, 2)).resolve(image.layers().get(0).hex()).resolve("data");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(stored));
        assertThat(send(HttpRequest.newBuilder(URI.create(layer)).GET()).statusCode()).isEqualTo(200);

        PrometheusText text = await().atMost(Duration.ofSeconds(10)).until(
            () -> scrape("http://127.0.0.1:" + server.debugPort()), t -> requests(t, "blob", "200", "get") == 2);
        assertThat(text.value("registry_proxy_misses_total", "type", "manifest")).contains(1.0);
        assertThat(text.value("registry_proxy_hits_total", "type", "manifest")).contains(1.0);
        assertThat(text.value("registry_proxy_misses_total", "type", "blob")).contains(1.0);
        assertThat(text.value("registry_proxy_hits_total", "type", "blob")).contains(1.0);
        assertThat(text.value("registry_proxy_requests_total", "type", "blob")).contains(2.0);
      }
    }
  }

  @Test
  void garbageCollectionRunsInTheServerAreCounted() throws Exception {
    RegistryConfig base = BerthConfigs.loopback(tmp.resolve("root"), 0);
    RegistryConfig.Gc gc = new RegistryConfig.Gc(true, Duration.ofMillis(200), Duration.ofHours(1), false, false,
        Duration.ofHours(24), RegistryConfig.Retention.NONE);
    RegistryConfig config = withDebug(new RegistryConfig(base.log(), base.http(), base.storage(), base.auth(), gc,
        base.proxy()), RegistryConfig.Debug.prometheus("127.0.0.1", 0));
    Instant started = Instant.now();

    try (RunningServer server = Main.launch(config)) {
      PrometheusText text = await().atMost(Duration.ofSeconds(20)).until(
          () -> scrape("http://127.0.0.1:" + server.debugPort()),
          t -> t.valueOrZero("registry_gc_runs_total", "result", "success") >= 1);

      assertThat(text.valueOrZero("registry_gc_runs_total", "result", "failed")).isZero();
      assertThat(text.value("registry_gc_duration_seconds_count")).hasValueSatisfying(n -> assertThat(n).isPositive());
      assertThat(text.value("registry_gc_last_success_timestamp_seconds"))
          .hasValueSatisfying(t -> assertThat(t).isGreaterThanOrEqualTo(started.getEpochSecond()));
      assertThat(text.value("registry_gc_reclaimed_bytes_total")).contains(0.0); // an empty root: nothing to free
    }
  }

  @Test
  void notificationsThatCannotBeDeliveredAreCountedPerEndpoint() throws Exception {
    int closed = LoopbackPorts.free(); // nothing listens there: every delivery is refused at once
    RegistryConfig.NotificationEndpoint endpoint = new RegistryConfig.NotificationEndpoint("nobody",
        URI.create("http://127.0.0.1:" + closed + "/events"), Map.of(), Duration.ofSeconds(1), 1,
        Duration.ofMillis(10), Duration.ofMillis(10), 0, 1, 1, java.util.Set.of(), java.util.Set.of());
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0), RegistryConfig.Debug.prometheus(
        "127.0.0.1", 0)).withNotifications(new RegistryConfig.Notifications(List.of(endpoint)));

    try (RunningServer server = Main.launch(config)) {
      BlobTransfer client = new BlobTransfer("127.0.0.1:" + server.port());
      for (int i = 0; i < 5; i++) {
        client.push("app", new dev.berth.registry.testsupport.GeneratedContent(i, 1000), 1000);
      }
      // five push events: each either given up on after its one attempt, or dropped while the queue (of one) was full
      PrometheusText text = await().atMost(Duration.ofSeconds(20)).until(
          () -> scrape("http://127.0.0.1:" + server.debugPort()),
          t -> t.valueOrZero("registry_notifications_events_total", "endpoint", "nobody", "type", "failures")
              + t.valueOrZero("registry_notifications_events_total", "endpoint", "nobody", "type", "dropped") == 5);
      assertThat(text.value("registry_notifications_events_total", "endpoint", "nobody", "type", "successes"))
          .contains(0.0);
      assertThat(text.valueOrZero("registry_notifications_errors_total", "endpoint", "nobody"))
          .isEqualTo(text.valueOrZero("registry_notifications_events_total", "endpoint", "nobody", "type", "failures"))
          .isPositive();
    }
  }

  @Test
  void aRefusedLoginIsCounted() throws Exception {
    Path htpasswd = Files.writeString(tmp.resolve("htpasswd"), "alice:"
        + at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
            .hashToString(5, "wonderland".toCharArray()) + "\n");
    RegistryConfig.Auth auth = new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), null, false,
        List.of());
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0, null, auth, false),
        RegistryConfig.Debug.prometheus("127.0.0.1", 0));

    try (RunningServer server = Main.launch(config)) {
      String basic = "Basic " + Base64.getEncoder().encodeToString("alice:guess".getBytes(StandardCharsets.UTF_8));
      assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/"))
          .header("Authorization", basic).GET()).statusCode()).isEqualTo(401);

      PrometheusText text = await().atMost(Duration.ofSeconds(10)).until(
          () -> scrape("http://127.0.0.1:" + server.debugPort()),
          t -> requests(t, "base", "401", "get") == 1);
      assertThat(text.value("registry_auth_failures_total", "reason", "invalid_credentials")).contains(1.0);
      assertThat(text.value("registry_auth_failures_total", "reason", "throttled")).contains(0.0);
    }
  }

  @Test
  void theServingCertificatesExpiryIsExposed() throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("metrics-ca");
    TestCertificates.Issued leaf = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1"));
    Path cert = TestCertificates.write(tmp.resolve("tls.crt"), TestCertificates.pem(leaf.certificate()));
    Path key = TestCertificates.write(tmp.resolve("tls.key"),
        TestCertificates.pem(leaf.keyPair(), TestCertificates.KeyFormat.PKCS8));
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0,
        new RegistryConfig.Tls(cert, key, List.of(), "tls1.2"), RegistryConfig.Auth.none(), false),
        RegistryConfig.Debug.prometheus("127.0.0.1", 0));
    Instant notAfter = leaf.certificate().getNotAfter().toInstant();

    try (RunningServer server = Main.launch(config)) {
      Instant before = Instant.now();
      PrometheusText text = scrape("http://127.0.0.1:" + server.debugPort());
      Instant after = Instant.now();

      double expected = Duration.between(before, notAfter).toMillis() / 1000.0;
      double slack = Duration.between(before, after).toMillis() / 1000.0 + 0.001;
      assertThat(text.value("registry_tls_certificate_expiry_seconds")).hasValueSatisfying(
          seconds -> assertThat(seconds).isCloseTo(expected, within(slack)));
    }
  }

  @Test
  void withoutThePrometheusSwitchTheDebugListenerServesNoMetrics() throws Exception {
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0),
        new RegistryConfig.Debug("127.0.0.1", 0, false, "/metrics"));

    try (RunningServer server = Main.launch(config)) {
      assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + "/metrics")).GET())
          .statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withoutADebugAddressNoDebugListenerStarts() {
    try (RunningServer server = Main.launch(BerthConfigs.loopback(tmp.resolve("root"), 0))) {
      assertThatThrownBy(server::debugPort).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("http.debug.addr is not set");
    }
  }

  @Test
  void aCustomPathIsServedAndTheDefaultOneIsNot() throws Exception {
    RegistryConfig config = withDebug(BerthConfigs.loopback(tmp.resolve("root"), 0),
        new RegistryConfig.Debug("127.0.0.1", 0, true, "/debug/prometheus"));

    try (RunningServer server = Main.launch(config)) {
      String debug = "http://127.0.0.1:" + server.debugPort();
      HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(debug + "/debug/prometheus")).GET());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("# TYPE registry_http_in_flight_requests gauge");
      assertThat(send(HttpRequest.newBuilder(URI.create(debug + "/metrics")).GET()).statusCode()).isEqualTo(404);
      assertThat(send(HttpRequest.newBuilder(URI.create(debug + "/debug/prometheus"))
          .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
    }
  }

  private static double requests(PrometheusText text, String handler, String code, String method) {
    return text.valueOrZero("registry_http_requests_total", "handler", handler, "code", code, "method", method);
  }

  private static PrometheusText scrape(String debug) throws IOException, InterruptedException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(debug + "/metrics")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String manifest(BlobTransfer.Transferred config, BlobTransfer.Transferred layer) {
    return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config.digest()
        + "\",\"size\":" + config.length() + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer.digest()
        + "\",\"size\":" + layer.length() + "}]}";
  }

}
