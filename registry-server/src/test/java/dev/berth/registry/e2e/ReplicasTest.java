package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthProcess;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Berth processes on one bucket, as replicas behind a Service: neither keeps anything the other needs. A chunked
 * upload alternates between them, an upload survives the kill -9 of the replica that started it, and each serves
 * what the other pushed; listings catch up within {@code storage.listings.refresh}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicasTest {
  private static final int MIB = 1024 * 1024;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The staleness bound of listings in these tests: another replica's new tags show within it. */
  private static final Map<String, String> FAST_LISTINGS = Map.of("REGISTRY_STORAGE_LISTINGS_REFRESH", "1s");

  @TempDir Path temp;
  private S3Bucket bucket;
  private BerthProcess a;
  private BerthProcess b;

  @BeforeEach
  void start() {
    bucket = S3Bucket.create(SharedS3Proxy.server());
    a = BerthProcess.startOnS3(bucket, temp, FAST_LISTINGS, "-Xmx256m");
    b = BerthProcess.startOnS3(bucket, temp, FAST_LISTINGS, "-Xmx256m");
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void aChunkedUploadAlternatingBetweenReplicasCompletesOnTheSecond() {
    byte[] content = bytes(1, 13 * MIB + 777); // crosses two 5 MiB parts, with tails carried between replicas
    URI upload = new BlobTransfer(a.hostPort()).startUpload("team/app");
    int[] cuts = {0, 2 * MIB, 6 * MIB, 6 * MIB + 1, 11 * MIB, content.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      BerthProcess replica = i % 2 == 0 ? a : b;
      URI here = on(replica, upload);
      assertThat(uploadRange(here)).as("chunk %d on %s", i, replica.hostPort()).isEqualTo(range(cuts[i]));
      new BlobTransfer(replica.hostPort()).patch(here,
          new ByteArrayInputStream(Arrays.copyOfRange(content, cuts[i], cuts[i + 1])), cuts[i + 1] - cuts[i]);
    }
    Digest digest = Digest.sha256(content);
    new BlobTransfer(b.hostPort()).complete(on(b, upload), digest);
    for (BerthProcess replica : new BerthProcess[] {a, b}) {
      assertThat(new BlobTransfer(replica.hostPort()).pull("team/app", digest))
          .isEqualTo(new BlobTransfer.Transferred(digest, content.length));
    }
  }

  @Test
  void anUploadStartedOnAKilledReplicaIsFinishedOnTheOther() {
    byte[] content = bytes(2, 7 * MIB + 3);
    URI upload = new BlobTransfer(a.hostPort()).startUpload("team/app");
    new BlobTransfer(a.hostPort()).patch(upload, new ByteArrayInputStream(content, 0, 4 * MIB), 4 * MIB);
    a.kill(); // kill -9: whatever A held in memory is gone
    a = null;
    URI there = on(b, upload);
    assertThat(uploadRange(there)).as("the acknowledged chunk is there for the other replica").isEqualTo(range(4 * MIB));
    long offset = 4 * MIB;
    new BlobTransfer(b.hostPort()).patch(there,
        new ByteArrayInputStream(content, (int) offset, content.length - (int) offset), content.length - offset);
    Digest digest = Digest.sha256(content);
    new BlobTransfer(b.hostPort()).complete(there, digest);
    assertThat(new BlobTransfer(b.hostPort()).pull("team/app", digest).length()).isEqualTo(content.length);
    a = BerthProcess.startOnS3(bucket, temp, FAST_LISTINGS, "-Xmx256m");
    assertThat(new BlobTransfer(a.hostPort()).pull("team/app", digest))
        .isEqualTo(new BlobTransfer.Transferred(digest, content.length));
  }

  @Test
  void eachReplicaServesEveryImageTheOtherPushedAndSeesRetagsAtOnce() {
    Skopeo skopeo = Skopeo.require(temp);
    Path source = temp.resolve("source");
    OciImageFactory factory = new OciImageFactory(source, 21);
    OciImage one = factory.addImage("one", 6 * MIB, 100_000);
    OciImage two = factory.addImage("two", 300_000);
    skopeo.copy(Skopeo.oci(source, "one"), Skopeo.docker(a.hostPort(), "team/app", "v1"), CopyOption.PRESERVE_DIGESTS);
    skopeo.copy(Skopeo.oci(source, "two"), Skopeo.docker(b.hostPort(), "team/app", "v2"), CopyOption.PRESERVE_DIGESTS);
    pullAndCheck(skopeo, b, "v1", one, "b-v1");
    pullAndCheck(skopeo, a, "v2", two, "a-v2");
    // tags and the catalog, which each replica lists from memory, catch up within the refresh
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(new RegistryHttp(a.hostPort()).tags("team/app")).containsExactly("v1", "v2");
      assertThat(new RegistryHttp(b.hostPort()).tags("team/app")).containsExactly("v1", "v2");
    });
    // moving a tag on one replica is seen by the other on its next pull: tags are read from the bucket, and the
    // manifest cache holds content by digest only
    skopeo.copy(Skopeo.oci(source, "two"), Skopeo.docker(b.hostPort(), "team/app", "v1"), CopyOption.PRESERVE_DIGESTS);
    pullAndCheck(skopeo, a, "v1", two, "a-v1-moved");
  }

  private void pullAndCheck(Skopeo skopeo, BerthProcess replica, String tag, OciImage image, String label) {
    Path layout = temp.resolve(label);
    skopeo.copy(Skopeo.docker(replica.hostPort(), "team/app", tag), Skopeo.oci(layout, "pulled"),
        CopyOption.PRESERVE_DIGESTS);
    new OciLayout(layout).assertHoldsExactly("pulled", image.manifest(), image.allDigests());
  }

  /** The same upload URL on another replica: the path is all a replica needs. */
  private static URI on(BerthProcess replica, URI upload) {
    return URI.create("http://" + replica.hostPort() + upload.getRawPath());
  }

  /** GET on the upload: its Range header says how many bytes it holds. */
  private static String uploadRange(URI upload) {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30)).GET()
          .build(), HttpResponse.BodyHandlers.discarding());
      assertThat(response.statusCode()).as("GET " + upload).isEqualTo(204);
      return response.headers().firstValue("Range").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Range header of an upload holding {@code bytes} (registry:2 says 0-0 for an empty one too). */
  private static String range(long bytes) {
    return "0-" + Math.max(0, bytes - 1);
  }

  private static byte[] bytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
