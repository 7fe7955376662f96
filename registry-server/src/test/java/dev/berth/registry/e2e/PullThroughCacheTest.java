package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.MutableClock;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.ProcessResult;
import dev.berth.registry.testsupport.ReferenceRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.Access;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import dev.berth.registry.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull-through cache against real upstreams on loopback: Debian's docker-registry (its access log counts what the
 * cache fetched), a second Berth with TLS and token auth (so the Bearer flow runs), and a small HTTP server that
 * serves a corrupted layer. Clients are skopeo, and raw HTTP where a detail (containerd's {@code ?ns=}) needs it.
 */
class PullThroughCacheTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path temp;

  private static RegistryConfig withUpstream(Path root, String url, RegistryConfig.UpstreamCredentials credentials,
      Path caFile) {
    return BerthConfigs.loopback(root, 0).withProxy(new RegistryConfig.Proxy(List.of(new RegistryConfig.Upstream(
        "dockerhub", URI.create(url), "docker.io", credentials, caFile, TTL, null))));
  }

  @Test
  void cachesOnFirstPullSeesAMovedTagAfterItsTtlAndServesWhatItHasWhenTheUpstreamIsDown() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 21);
    OciImage first = factory.addImage("first", 300_000, 20_000);
    OciImage second = factory.addImage("second", 150_000);
    ReferenceRegistry upstream = ReferenceRegistry.start(temp.resolve("upstream-root"), temp, true);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    try (BerthRegistry berth = BerthRegistry.start(
        withUpstream(temp.resolve("berth-root"), "http://" + upstream.hostPort(), RegistryConfig.UpstreamCredentials.ANONYMOUS, null), clock)) {
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "first"), Skopeo.docker(upstream.hostPort(), "library/app", "1"),
          CopyOption.PRESERVE_DIGESTS);

      // path prefix, with Docker Hub's library/ added to the one-segment name
      pullAndCheck(skopeo, berth, "dockerhub/app", "1", first, "by-prefix");
      // containerd's mirror request: the upstream's host in ?ns=, the image's own name in the path
      HttpResponse<byte[]> ns = get("http://" + berth.hostPort() + "/v2/library/app/manifests/1?ns=docker.io",
          "application/vnd.oci.image.manifest.v1+json");
      assertThat(ns.statusCode()).isEqualTo(200);
      assertThat(ns.headers().firstValue("Docker-Content-Digest")).contains(first.manifest().toString());
      assertThat(get("http://" + berth.hostPort() + "/v2/library/app/blobs/" + first.layers().get(0) + "?ns=docker.io",
          "*/*").body()).isEqualTo(new OciLayout(temp.resolve("source")).blob(first.layers().get(0)));

      // the tag moves upstream: within the TTL the cached answer stands, after it the new digest is seen
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "second"), Skopeo.docker(upstream.hostPort(), "library/app", "1"),
          CopyOption.PRESERVE_DIGESTS);
      pullAndCheck(skopeo, berth, "dockerhub/app", "1", first, "within-ttl");
      clock.advance(TTL.plusSeconds(1));
      pullAndCheck(skopeo, berth, "dockerhub/app", "1", second, "after-ttl");

      // pushes: refused into the cache's namespace with the spec's DENIED, accepted elsewhere as always
      ProcessResult refused = skopeo.tryCopy(Skopeo.oci(temp.resolve("source"), "first"),
          Skopeo.docker(berth.hostPort(), "dockerhub/library/app", "pushed"));
      assertThat(refused.succeeded()).isFalse();
      assertThat(refused.stderr()).contains("denied").contains("pull-through cache");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "first"), Skopeo.docker(berth.hostPort(), "team/app", "1"),
          CopyOption.PRESERVE_DIGESTS);

      upstream.close();
      clock.advance(TTL.plusSeconds(1)); // the tag is due for a check, which now fails: the cached copy is served
      pullAndCheck(skopeo, berth, "dockerhub/app", "1", second, "upstream-down-tag");
      pullAndCheck(skopeo, berth, "dockerhub/app", first.manifest().toString(), first, "upstream-down-digest");
      assertThat(berth.cache().health().get(0).lastError()).contains("unreachable");
    } finally {
      upstream.close();
    }
  }

  @Test
  void dockerDaemonMirrorRequestsWithoutNsOrPrefixReachTheDockerMirrorUpstreamUnlessTheRepositoryIsHeldHere()
      throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 25);
    OciImage hub = factory.addImage("hub", 120_000);
    OciImage own = factory.addImage("own", 90_000);
    ReferenceRegistry upstream = ReferenceRegistry.start(temp.resolve("upstream-root"), temp, true);
    RegistryConfig config = BerthConfigs.loopback(temp.resolve("berth-root"), 0).withProxy(new RegistryConfig.Proxy(
        List.of(new RegistryConfig.Upstream("dockerhub", URI.create("http://" + upstream.hostPort()), "docker.io",
            RegistryConfig.UpstreamCredentials.ANONYMOUS, null, TTL, null, true))));
    try (BerthRegistry berth = BerthRegistry.start(config, java.time.Clock.systemUTC())) {
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "hub"), Skopeo.docker(upstream.hostPort(), "library/app", "1"),
          CopyOption.PRESERVE_DIGESTS);
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "own"), Skopeo.docker(upstream.hostPort(), "team/own", "1"),
          CopyOption.PRESERVE_DIGESTS);
      // dockerd asks its mirror for /v2/library/app/... exactly like this
      pullAndCheck(skopeo, berth, "library/app", "1", hub, "docker-mirror");
      assertThat(temp.resolve("berth-root/docker/registry/v2/repositories/dockerhub/library/app")).isDirectory();
      // a repository pushed here is served from here and takes pushes, though the upstream has one by that name
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "hub"), Skopeo.docker(berth.hostPort(), "team/own", "1"),
          CopyOption.PRESERVE_DIGESTS);
      pullAndCheck(skopeo, berth, "team/own", "1", hub, "held-here");
    } finally {
      upstream.close();
    }
    assertThat(own.manifest()).isNotEqualTo(hub.manifest());
  }

  @Test
  void fourConcurrentFirstPullsMakeOneUpstreamFetchPerBlob() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 22);
    // layers big enough that the four pulls overlap while the first fetch still runs
    OciImage image = factory.addImage("big", 24 << 20, 16 << 20, 4 << 10);
    ReferenceRegistry upstream = ReferenceRegistry.start(temp.resolve("upstream-root"), temp, true);
    try (BerthRegistry berth = BerthRegistry.start(withUpstream(temp.resolve("berth-root"),
        "http://" + upstream.hostPort(), RegistryConfig.UpstreamCredentials.ANONYMOUS, null), java.time.Clock.systemUTC())) {
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "big"), Skopeo.docker(upstream.hostPort(), "library/four", "1"),
          CopyOption.PRESERVE_DIGESTS);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<ProcessResult>> pulls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          Path layout = temp.resolve("pull-" + i);
          pulls.add(pool.submit(() -> skopeo.copy(Skopeo.docker(berth.hostPort(), "dockerhub/four", "1"),
              Skopeo.oci(layout, "pulled"), CopyOption.PRESERVE_DIGESTS)));
        }
        for (Future<ProcessResult> pull : pulls) {
          pull.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < 4; i++) {
        new OciLayout(temp.resolve("pull-" + i)).assertHoldsExactly("pulled", image.manifest(), image.allDigests());
      }
      List<Digest> blobs = new ArrayList<>(image.layers());
      blobs.add(image.config());
      Path log = upstream.process().log();
      for (Digest blob : blobs) {
        String line = "\"GET /v2/library/four/blobs/" + blob + " HTTP/1.1\" 200";
        await().atMost(Duration.ofSeconds(30)).until(() -> count(log, line) >= 1);
        assertThat(count(log, line)).as("upstream GETs of %s", blob).isEqualTo(1);
      }
    } finally {
      upstream.close();
    }
  }

  @Test
  void aCorruptedUpstreamBlobNeverReachesAClientAndIsNotStored() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    Path source = temp.resolve("source");
    OciImage image = new OciImageFactory(source, 23).addImage("bad", 2 << 20, 10_000);
    Digest corrupted = image.layers().get(0);
    OciLayout layout = new OciLayout(source);
    HttpServer bad = corruptingUpstream(layout, image, corrupted);
    try (BerthRegistry berth = BerthRegistry.start(withUpstream(temp.resolve("berth-root"),
        "http://127.0.0.1:" + bad.getAddress().getPort(), RegistryConfig.UpstreamCredentials.ANONYMOUS, null),
        java.time.Clock.systemUTC())) {
      ProcessResult pull = skopeo.tryCopy(Skopeo.docker(berth.hostPort(), "dockerhub/bad", "1"),
          Skopeo.oci(temp.resolve("pulled"), "pulled"));
      assertThat(pull.succeeded()).as(pull.describe()).isFalse();

      // a raw client gets fewer bytes than announced, never the whole wrong blob
      long size = Files.size(layout.blobPath(corrupted));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + berth.hostPort() + "/v2/dockerhub/bad/blobs/"
          + corrupted)).timeout(Duration.ofSeconds(60)).build();
      long received = 0;
      boolean cut = false;
      try (InputStream body = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
        byte[] buffer = new byte[65536];
        int n;
        while ((n = body.read(buffer)) >= 0) {
          received += n;
        }
      } catch (IOException e) {
        cut = true;
      }
      assertThat(cut || received < size).as("received %d of %d bytes, cut=%s", received, size, cut).isTrue();

      Path data = temp.resolve("berth-root/docker/registry/v2/blobs/sha256/" + corrupted.hex().substring(0, 2) + "/"
          + corrupted.hex() + "/data");
      assertThat(data).doesNotExist();
      assertThat(get("http://" + berth.hostPort() + "/v2/dockerhub/bad/blobs/" + image.layers().get(1), "*/*").body())
          .isEqualTo(layout.blob(image.layers().get(1)));
    } finally {
      bad.stop(0);
    }
  }

  @Test
  void anUpstreamWithTlsAndTokenAuthIsCachedThroughTheBearerFlow() throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("proxy-upstream-ca");
    ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
    Path htpasswd = HtpasswdCommand.require().write(temp.resolve("htpasswd"), Map.of("mirror", "mirror-s3cret"));
    RegistryConfig.Auth auth = new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd),
        new RegistryConfig.Token("", "upstream", "upstream", 300, null), false,
        List.of(new RegistryConfig.AccessRule("mirror", "*", List.of("pull", "push"))));
    OciImage image = new OciImageFactory(temp.resolve("source"), 24).addImage("private", 400_000, 30_000);
    Path username = Files.writeString(temp.resolve("username"), "mirror\n");
    Path password = Files.writeString(temp.resolve("password"), "mirror-s3cret\n");
    try (BerthRegistry upstream = BerthRegistry.start(
            BerthConfigs.loopback(temp.resolve("upstream-root"), 0, certs.config(), auth, false));
         BerthRegistry berth = BerthRegistry.start(withUpstream(temp.resolve("berth-root"),
             "https://" + upstream.hostPort(), new RegistryConfig.UpstreamCredentials(null, null, username, password),
             certs.clientCertDir().resolve("ca.crt")), java.time.Clock.systemUTC())) {
      Skopeo pusher = Skopeo.require(temp).with(Access.verified(certs.clientCertDir()).withCredentials("mirror", "mirror-s3cret"));
      pusher.copy(Skopeo.oci(temp.resolve("source"), "private"), Skopeo.docker(upstream.hostPort(), "team/private", "v1"),
          CopyOption.PRESERVE_DIGESTS);
      // anonymous at the upstream is refused, so the cache must have fetched a token with its credentials
      assertThat(get("https://" + upstream.hostPort() + "/v2/team/private/manifests/v1", "*/*", certs)).isEqualTo(401);

      pullAndCheck(Skopeo.require(temp), berth, "dockerhub/team/private", "v1", image, "through-token");
      assertThat(berth.cache().health().get(0).lastError()).isNull();
    }
  }

  private void pullAndCheck(Skopeo skopeo, BerthRegistry berth, String repository, String reference, OciImage expected,
      String label) {
    Path layout = temp.resolve("pulled-" + label);
    skopeo.copy(Skopeo.docker(berth.hostPort(), repository, reference), Skopeo.oci(layout, "pulled"),
        CopyOption.PRESERVE_DIGESTS);
    new OciLayout(layout).assertHoldsExactly("pulled", expected.manifest(), expected.allDigests());
  }

  private static HttpResponse<byte[]> get(String url, String accept) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static int get(String url, String accept, ServingCertificates certs) throws Exception {
    HttpClient tls = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
    return tls.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long count(Path log, String needle) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(needle)).count();
  }

  /** A registry that serves {@code image} from an OCI layout, with one byte of {@code corrupted} flipped. */
  private static HttpServer corruptingUpstream(OciLayout layout, OciImage image, Digest corrupted) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    for (Digest digest : image.allDigests()) {
      byte[] bytes = layout.blob(digest);
      if (digest.equals(corrupted)) {
        bytes[bytes.length / 2] ^= 0x5a;
      }
      blobs.put(digest.toString(), bytes);
    }
    server.createContext("/v2/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      String type = "application/octet-stream";
      if (path.equals("/v2/")) {
        body = "{}".getBytes(StandardCharsets.UTF_8);
      } else if (path.equals("/v2/library/bad/manifests/1") || path.equals("/v2/library/bad/manifests/" + image.manifest())) {
        body = blobs.get(image.manifest().toString());
        type = "application/vnd.oci.image.manifest.v1+json";
        exchange.getResponseHeaders().set("Docker-Content-Digest", image.manifest().toString());
      } else if (path.startsWith("/v2/library/bad/blobs/") && blobs.containsKey(path.substring(22))) {
        body = blobs.get(path.substring(22));
      } else {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (head) {
        exchange.close();
        return;
      }
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }
}
