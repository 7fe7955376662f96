package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthProcess;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.S3ProxyServer;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket becomes unreachable while Berth runs on it (s3proxy stopped), and comes back (s3proxy started again on
 * the same port and data). Meanwhile readiness is false, pulls and pushes answer 5xx with the spec's error body, the
 * log names the bucket and key that failed, and nothing half-written appears; afterwards readiness returns and the
 * earlier image pulls intact.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BucketOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  /** Far above what the SDK's retries of a refused connection take (well under a second). */
  private static final Duration PROBE_LIMIT = Duration.ofSeconds(60);

  @TempDir Path temp;
  private S3ProxyServer s3;

  @AfterEach
  void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void anUnreachableBucketMakesBerthUnreadyAndFailCleanlyUntilItReturns() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    Path s3Work = Files.createDirectories(temp.resolve("s3"));
    s3 = S3ProxyServer.start(s3Work);
    S3Bucket bucket = S3Bucket.create(s3);
    OciImage image = new OciImageFactory(temp.resolve("source"), 3).addImage("earlier", 1 << 20, 200_000);
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 7);
    Digest chunkDigest = Digest.sha256(chunk);

    try (BerthProcess berth = BerthProcess.startOnS3(bucket, temp)) {
      String hostPort = berth.hostPort();
      RegistryHttp http = new RegistryHttp(hostPort);
      assertThat(http.getStatus("/readyz")).isEqualTo(200);
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "earlier"), Skopeo.docker(hostPort, "team/app", "v1"),
          CopyOption.PRESERVE_DIGESTS);
      URI upload = new BlobTransfer(hostPort).startUpload("team/app");

      s3.close();
      await().atMost(PROBE_LIMIT).pollInterval(Duration.ofMillis(100))
          .until(() -> http.getStatus("/readyz") == 503);

      assertStorageError(send(hostPort, "GET", "/v2/team/app/manifests/v1", null));
      assertStorageError(send(hostPort, "GET", "/v2/team/app/blobs/" + image.layers().get(0), null));
      assertStorageError(send(hostPort, "POST", "/v2/team/app/blobs/uploads/", null));
      // a chunk of an upload begun before: it cannot be stored, so it is not acknowledged, and neither is the end
      assertStorageError(send(upload, "PATCH", chunk));
      assertStorageError(send(URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
          + chunkDigest), "PUT", null));
      String log = Files.readString(berth.process().log());
      assertThat(Pattern.compile("s3 \\w+ failed: bucket=" + Pattern.quote(bucket.bucket())
          + " key=registry/docker/registry/v2/\\S+").matcher(log).find())
          .as("a log line naming the bucket and the key:\n%s", berth.process().diagnostics()).isTrue();

      s3 = s3.restart(s3Work);
      await().atMost(PROBE_LIMIT).pollInterval(Duration.ofMillis(100))
          .until(() -> http.getStatus("/readyz") == 200);
      assertThat(berth.process().isAlive()).isTrue();

      Path pulled = temp.resolve("pulled");
      skopeo.copy(Skopeo.docker(hostPort, "team/app", "v1"), Skopeo.oci(pulled, "v1"), CopyOption.PRESERVE_DIGESTS);
      new OciLayout(pulled).assertHoldsExactly("v1", image.manifest(), image.allDigests());
      assertThat(http.headStatus("/v2/team/app/blobs/" + chunkDigest)).as("the blob pushed during the outage")
          .isEqualTo(404);
      BlobTransfer.Transferred fresh = new BlobTransfer(hostPort)
          .push("team/app", new java.io.ByteArrayInputStream(chunk), chunk.length);
      assertThat(fresh.digest()).isEqualTo(chunkDigest);
      assertThat(http.headStatus("/v2/team/app/blobs/" + chunkDigest)).isEqualTo(200);
    }
    DistributionLayout layout = new DistributionLayout(bucket.root());
    assertThat(layout.consistencyProblems()).isEmpty();
  }

  /** 500 or 503 with {@code {"errors":[{"code":...,"message":...}]}}, as the distribution spec words failures. */
  private static void assertStorageError(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isIn(500, 503);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode errors = JSON.readTree(response.body()).path("errors");
    assertThat(errors.isArray() && errors.size() == 1).as(response.body()).isTrue();
    assertThat(errors.get(0).path("code").asText()).as(response.body()).isNotEmpty();
    assertThat(errors.get(0).path("message").asText()).as(response.body()).contains("storage failed");
  }

  private static HttpResponse<String> send(String hostPort, String method, String path, byte[] body)
      throws IOException, InterruptedException {
    return send(URI.create("http://" + hostPort + path), method, body);
  }

  private static HttpResponse<String> send(URI uri, String method, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(PROBE_LIMIT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", "application/octet-stream");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
