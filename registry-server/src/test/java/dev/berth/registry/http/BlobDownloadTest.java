package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.metrics.DownloadRoute;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blob downloads byte for byte on both media: on the filesystem a file region, on S3 the object store's response
 * relayed as it arrives (and, where the relay cannot be used, a stream sent in fixed chunks), so the lengths and
 * ranges here cross the chunk boundaries (256 KiB) at odd offsets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlobDownloadTest {
  private static final int CHUNK = 256 * 1024;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path temp;
  private BerthRegistry registry;
  private final AtomicInteger relayed = new AtomicInteger();
  private final AtomicInteger readThroughClient = new AtomicInteger();
  private final RegistryMetrics downloads = new RegistryMetrics() {
    @Override
    public void objectDownload(DownloadRoute route) {
      (route == DownloadRoute.RELAY ? relayed : readThroughClient).incrementAndGet();
    }
  };

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"filesystem", "s3"})
  void wholeBlobsAndRangesArriveByteForByte(String medium) throws Exception {
    boolean s3 = medium.equals("s3");
    registry = s3 ? BerthRegistry.startOnS3(S3Bucket.create(SharedS3Proxy.server()), downloads)
        : BerthRegistry.start(temp);
    byte[] content = new byte[3 * CHUNK + 12_345];
    new Random(7).nextBytes(content);
    Digest digest = new BlobTransfer(registry.hostPort()).push("team/app", new ByteArrayInputStream(content),
        content.length).digest();

    HttpResponse<byte[]> whole = get(digest, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    assertThat(Arrays.equals(whole.body(), content)).as("the whole blob, byte for byte").isTrue();

    long[][] ranges = {{0, 0}, {CHUNK - 1, CHUNK}, {CHUNK - 100, 2 * CHUNK + 99}, {3 * CHUNK, content.length - 1},
        {content.length - 1, content.length - 1}};
    for (long[] range : ranges) {
      HttpResponse<byte[]> part = get(digest, "bytes=" + range[0] + "-" + range[1]);
      assertThat(part.statusCode()).as("bytes %d-%d", range[0], range[1]).isEqualTo(206);
      assertThat(part.headers().firstValue("Content-Range"))
          .hasValue("bytes " + range[0] + "-" + range[1] + "/" + content.length);
      assertThat(Arrays.equals(part.body(), Arrays.copyOfRange(content, (int) range[0], (int) range[1] + 1)))
          .as("bytes %d-%d, byte for byte", range[0], range[1]).isTrue();
    }
    HttpResponse<byte[]> open = get(digest, "bytes=" + (2 * CHUNK + 1) + "-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(Arrays.equals(open.body(), Arrays.copyOfRange(content, 2 * CHUNK + 1, content.length)))
        .as("an open range to the end").isTrue();

    HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(blobUri(digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    assertThat(head.body()).isEmpty();
    if (s3) {
      // every GET above (the whole blob, five ranges, the open range) went through the relay, none fell back
      assertThat(relayed).hasValue(7);
      assertThat(readThroughClient).hasValue(0);
    }
  }

  private HttpResponse<byte[]> get(Digest digest, String range) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(blobUri(digest)).timeout(Duration.ofSeconds(60)).GET();
    if (range != null) {
      request.header("Range", range);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI blobUri(Digest digest) {
    return URI.create("http://" + registry.hostPort() + "/v2/team/app/blobs/" + digest);
  }
}
