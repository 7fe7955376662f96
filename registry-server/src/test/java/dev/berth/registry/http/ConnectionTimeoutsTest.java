package dev.berth.registry.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.connection.TimeoutPolicy.Verdict;
import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.timeouts} over real sockets, with timeouts of a second or two: every stalled phase is closed, every
 * slow but live client is kept. Each test waits on the server's timeout counter or on the closed connection. Set-up
 * and checks go through a second server on the same root with the default timeouts ({@link #api}), so a busy machine
 * that stalls a 32 MiB push for a second times out nothing but the connection under test.
 */
class ConnectionTimeoutsTest {
  static final Duration SHORT = Duration.ofSeconds(1);
  static final Duration TRANSFER = Duration.ofSeconds(2);
  static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path root;
  RegistryServer server;
  RegistryServer relaxed;
  ApiClient api;

  @BeforeEach
  void start() {
    server = TestServers.start(root,
        TestServers.loopback().withTimeouts(new RegistryConfig.Timeouts(SHORT, TRANSFER, SHORT, TRANSFER)),
        Authenticator.allowAll());
    relaxed = TestServers.start(root, TestServers.loopback(), Authenticator.allowAll());
    api = new ApiClient(relaxed.port());
  }

  @AfterEach
  void stop() {
    relaxed.close();
    server.close();
  }

  long timedOut(Verdict verdict) {
    return server.connectionGuard().timeouts().count(verdict);
  }

  @Test
  void halfSentHeadersGet408AndTheConnectionCloses() {
    try (RawHttp client = new RawHttp(server.port())) {
      client.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n");
      RawHttp.Head head = client.readHead();
      assertThat(head.status()).isEqualTo(408);
      assertThat(head.headers()).containsEntry("connection", "close");
      assertThat(new String(client.readBytes((int) head.contentLength()), UTF_8)).contains("\"errors\"");
      assertThat(client.readToEnd(0)).isZero();
    }
    assertThat(timedOut(Verdict.HEADER)).isEqualTo(1);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() {
    try (RawHttp client = new RawHttp(server.port())) {
      assertThat(client.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
      assertThat(client.readToEnd(0)).isZero();
    }
    assertThat(timedOut(Verdict.IDLE)).isEqualTo(1);
  }

  @Test
  void aConnectionThatNeverSendsAByteIsClosedAsIdle() {
    try (RawHttp client = new RawHttp(server.port())) {
      assertThat(client.readToEnd(0)).isZero();
    }
    assertThat(timedOut(Verdict.IDLE)).isEqualTo(1);
  }

  @Test
  void aStalledUploadIsClosedAndKeepsItsBytesForTheClientToResume() {
    byte[] content = RegistryApiTest.random(200_000, 1);
    Digest digest = Digest.sha256(content);
    String location = api.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
    int sent = 120_000;
    try (RawHttp client = new RawHttp(server.port())) {
      client.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Range: 0-" + (content.length - 1) + "\r\nContent-Length: " + content.length + "\r\n\r\n");
      client.send(content, 0, sent);
      assertThat(client.readToEnd(0)).as("closed by the body timeout, no answer").isZero();
    }
    assertThat(timedOut(Verdict.BODY)).isEqualTo(1);

    await().atMost(BOUND).until(() -> api.get(location).headers().firstValue("Range").orElse(""),
        range -> range.equals("0-" + (sent - 1)));
    HttpResponse<byte[]> rest = api.send("PATCH", location, Arrays.copyOfRange(content, sent, content.length),
        "Content-Range", sent + "-" + (content.length - 1), "Content-Type", "application/octet-stream");
    assertThat(rest.statusCode()).isEqualTo(202);
    assertThat(rest.headers().firstValue("Range")).hasValue("0-" + (content.length - 1));
    assertThat(api.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
    assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
  }

  @Test
  void aDownloadTheClientStopsReadingIsAbandonedAndItsFileReleased() throws IOException {
    byte[] content = RegistryApiTest.random(32 << 20, 2);
    Digest digest = api.pushBlob("app", content);
    Path data = blobData(digest);
    try (RawHttp client = new RawHttp(server.port(), 4096)) {
      client.send("GET /v2/app/blobs/" + digest + " HTTP/1.1\r\nHost: x\r\n\r\n");
      await().atMost(BOUND).until(() -> timedOut(Verdict.SEND) == 1);
      await().atMost(BOUND).until(() -> !openByThisProcess(data));
      assertThat(client.readToEnd(content.length)).isLessThan(content.length);
    }
  }

  @Test
  void aSlowReaderOfADownloadIsNeverCut() throws Exception {
    byte[] content = RegistryApiTest.random(6 << 20, 3);
    Digest digest = api.pushBlob("app", content);
    try (RawHttp client = new RawHttp(server.port(), 64 * 1024)) {
      client.send("GET /v2/app/blobs/" + digest + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Head head = client.readHead();
      assertThat(head.status()).isEqualTo(200);
      byte[] received = Pacer.read(client.input(), content.length, 1 << 20);
      assertThat(received).isEqualTo(content);
    }
    assertThat(timedOut(Verdict.SEND)).isZero();
  }

  @Test
  void aSlowUploadIsNeverCut() throws Exception {
    byte[] content = RegistryApiTest.random(192 * 1024, 4);
    Digest digest = Digest.sha256(content);
    try (RawHttp client = new RawHttp(server.port())) {
      client.send("POST /v2/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
          + content.length + "\r\n\r\n");
      Pacer.write(client, content, 64 * 1024);
      assertThat(client.readResponse().status()).isEqualTo(201);
    }
    assertThat(timedOut(Verdict.BODY)).isZero();
    assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
  }

  private Path blobData(Digest digest) {
    String hex = digest.toString().substring("sha256:".length());
    return root.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  /** Whether any descriptor of this JVM (the server runs in it) points at {@code file}. */
  static boolean openByThisProcess(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(real);
        } catch (IOException gone) {
          return false;
        }
      });
    }
  }

  /** Moves bytes at a steady rate, in quarter-second steps. */
  static final class Pacer {
    private Pacer() {}

    static byte[] read(InputStream in, int total, int bytesPerSecond) throws IOException, InterruptedException {
      byte[] all = new byte[total];
      int step = bytesPerSecond / 4;
      int at = 0;
      while (at < total) {
        int n = in.readNBytes(all, at, Math.min(step, total - at));
        if (n == 0) {
          break;
        }
        at += n;
        Thread.sleep(250);
      }
      return Arrays.copyOf(all, at);
    }

    static void write(RawHttp out, byte[] content, int bytesPerSecond) throws InterruptedException {
      int step = bytesPerSecond / 4;
      for (int at = 0; at < content.length; at += step) {
        out.send(content, at, Math.min(step, content.length - at));
        Thread.sleep(250);
      }
    }
  }
}
