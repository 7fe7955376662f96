package dev.berth.registry.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.storage.FilesystemStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Upload sessions over a real socket: idle ones hold no file descriptor; one cut mid-PATCH resumes where it stopped. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UploadSessionResourcesTest {
  private static final String REPO = "team/upload";
  @TempDir Path root;
  private RegistryServer server;
  private ApiClient api;

  @BeforeEach
  void start() {
    RegistryConfig config = new RegistryConfig(new RegistryConfig.Log("info", true, Map.of()),
        new RegistryConfig.Http("127.0.0.1", 0, Map.of(), null, null),
        new RegistryConfig.Storage(root, true, false), RegistryConfig.Auth.none());
    server = new RegistryServer(config, new FilesystemStorage(root), Authenticator.allowAll()).start();
    api = new ApiClient(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static long openDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String startUpload() {
    HttpResponse<byte[]> started = api.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
    assertThat(started.statusCode()).isEqualTo(202);
    return started.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<byte[]> patch(String location, byte[] chunk, long offset) {
    return api.send("PATCH", location, chunk, "Content-Type", "application/octet-stream",
        "Content-Range", offset + "-" + (offset + chunk.length - 1));
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void athousandSessionsLeftAfterOnePatchEachHoldNoFileDescriptors() {
    // warm up: the first upload loads classes and opens the connection pool's sockets
    byte[] warm = random(1000, 0);
    String warmLocation = startUpload();
    assertThat(patch(warmLocation, warm, 0).statusCode()).isEqualTo(202);
    long baseline = openDescriptors();

    List<String> locations = new ArrayList<>();
    List<byte[]> firstChunks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String location = startUpload();
      byte[] chunk = random(100 + i, i + 1);
      assertThat(patch(location, chunk, 0).statusCode()).isEqualTo(202);
      locations.add(location);
      firstChunks.add(chunk);
    }
    long idle = openDescriptors();
    assertThat(idle - baseline).as("descriptors after 1,000 idle sessions, over a baseline of %d", baseline)
        .isLessThan(40);

    // the sessions still work, hash state and all: a second chunk and the final PUT give the right digest
    for (int i : new int[] {0, 499, 999}) {
      byte[] second = random(5000, -i);
      byte[] whole = concat(firstChunks.get(i), second);
      assertThat(patch(locations.get(i), second, firstChunks.get(i).length).statusCode()).isEqualTo(202);
      Digest digest = Digest.sha256(whole);
      HttpResponse<byte[]> put = api.send("PUT", locations.get(i) + "?digest=" + digest, null);
      assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
      assertThat(api.get("/v2/" + REPO + "/blobs/" + digest).body()).isEqualTo(whole);
    }
  }

  @Test
  void aPatchCutByTheClientMidBodyIsResumedFromTheBytesKept() throws Exception {
    byte[] blob = random(3 << 20, 42);
    String location = startUpload();
    int sent = 1 << 20;

    // a raw socket announces the whole blob, sends a third of it and goes away
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: " + blob.length + "\r\n\r\n").getBytes(US_ASCII));
      out.write(blob, 0, sent);
      out.flush();
    }

    // the server keeps what arrived; the status reports it once the cut reached the server
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() ->
        api.get(location).headers().firstValue("Range").orElse("").equals("0-" + (sent - 1)));
    HttpResponse<byte[]> status = api.get(location);
    assertThat(status.statusCode()).isEqualTo(204);

    byte[] rest = Arrays.copyOfRange(blob, sent, blob.length);
    HttpResponse<byte[]> resumed = patch(location, rest, sent);
    assertThat(resumed.statusCode()).as(new String(resumed.body())).isEqualTo(202);
    assertThat(resumed.headers().firstValue("Range")).contains("0-" + (blob.length - 1));
    Digest digest = Digest.sha256(blob);
    HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, null);
    assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
    assertThat(Digest.sha256(api.get("/v2/" + REPO + "/blobs/" + digest).body())).isEqualTo(digest);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
