package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.metrics.DownloadRoute;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.ManifestPutResult;
import dev.berth.registry.storage.OpenBlob;
import dev.berth.registry.storage.PresignedRead;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.StoredManifest;
import dev.berth.registry.storage.UploadSession;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.tls.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The download relay against an object store the test controls: a real HTTP server standing in for S3 at the signed
 * URL, with the registry's real server in front of it. The relay sends the signed request as signed, relays exactly
 * the range asked for, falls back to the store's client when the signed request is not answered as asked, never
 * passes a short transfer off as complete, stops reading the store while the client is not reading, and lets go of
 * the store's connection when the client goes away.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectRelayTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SIGNED_TARGET = "/bucket/blob-data?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=300";

  /** How the stand-in object store answers the signed GET. */
  enum Store {
    /** 206 with the range asked for. */
    SERVES,
    /** 500, as S3 does when it is in trouble. */
    FAILS,
    /** 206 with another length than asked for. */
    WRONG_LENGTH,
    /** Nothing listens at the signed URL's port. */
    UNREACHABLE
  }

  @TempDir Path temp;
  private final AtomicInteger relayed = new AtomicInteger();
  private final AtomicInteger readThroughClient = new AtomicInteger();
  /** Requests routed and not yet reported finished: what a graceful shutdown waits for. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<String> seenTarget = new AtomicReference<>();
  private final AtomicReference<String> seenRange = new AtomicReference<>();
  /** Bytes the store has written, and whether a write failed because the reader went away. */
  private final AtomicLong storeWritten = new AtomicLong();
  private final CountDownLatch storeWriteFailed = new CountDownLatch(1);
  private volatile Store store = Store.SERVES;
  private volatile boolean cutOffHalfway;
  private volatile byte[] content;
  private volatile String scheme = "http";
  private volatile boolean skipVerify;
  private ExecutorService storeThreads;
  private HttpServer objectStore;
  private RegistryServer server;
  private FilesystemStorage storage;

  @BeforeEach
  void start() throws IOException {
    storeThreads = Executors.newCachedThreadPool();
    objectStore = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    objectStore.setExecutor(storeThreads);
    objectStore.createContext("/", this::answer);
    objectStore.start();
    storage = new FilesystemStorage(temp.resolve("storage"));
    RegistryConfig config = BerthConfigs.loopback(temp.resolve("storage"), 0);
    RegistryMetrics metrics = new RegistryMetrics() {
      @Override
      public void objectDownload(DownloadRoute route) {
        (route == DownloadRoute.RELAY ? relayed : readThroughClient).incrementAndGet();
      }

      @Override
      public void requestStarted(dev.berth.registry.metrics.Handler handler) {
        inFlight.incrementAndGet();
      }

      @Override
      public void requestFinished(dev.berth.registry.metrics.Handler routed, String method, int status, long bytesIn,
          long bytesOut, long nanos) {
        if (routed != null) {
          inFlight.decrementAndGet();
        }
      }
    };
    server = new RegistryServer(config, new SignedRangeStorage(storage), Authenticators.fromConfig(config.auth()),
        null, metrics).start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (objectStore != null) {
      objectStore.stop(0);
    }
    if (storeThreads != null) {
      storeThreads.shutdownNow();
    }
    if (storage != null) {
      storage.close();
    }
  }

  @Test
  void sendsTheSignedRequestAsSignedAndRelaysTheRangeAskedFor() throws Exception {
    Digest digest = push(new byte[3 * 1024 * 1024 + 17]);

    HttpResponse<byte[]> whole = get(digest, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(whole.body(), content)).as("the whole blob, byte for byte").isTrue();
    assertThat(seenTarget).hasValue(SIGNED_TARGET);
    assertThat(seenRange).hasValue("bytes=0-" + (content.length - 1));

    HttpResponse<byte[]> part = get(digest, "bytes=1000-1048575");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(Arrays.equals(part.body(), Arrays.copyOfRange(content, 1000, 1048576))).isTrue();
    assertThat(seenRange).hasValue("bytes=1000-1048575");

    assertThat(relayed).hasValue(2);
    assertThat(readThroughClient).hasValue(0);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Store.class, names = {"FAILS", "WRONG_LENGTH", "UNREACHABLE"})
  void fallsBackToTheStoresClientWhenTheSignedRequestIsNotAnsweredAsAsked(Store answer) throws Exception {
    Digest digest = push(new byte[1024 * 1024 + 3]);
    store = answer;

    HttpResponse<byte[]> whole = get(digest, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(whole.body(), content)).as("the whole blob, read through the store's client").isTrue();
    assertThat(relayed).hasValue(0);
    assertThat(readThroughClient).hasValue(1);
  }

  @ParameterizedTest(name = "skipverify {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void overTlsTheStoresCertificateIsCheckedUnlessSkipVerifySaysOtherwise(boolean skip) throws Exception {
    Digest digest = push(new byte[2 * 1024 * 1024 + 5]);
    objectStore.stop(0);
    objectStore = httpsStore(TestCertificates.leaf(TestCertificates.ca("untrusted store CA"), "store",
        TestCertificates.ecKeyPair("secp256r1")));
    scheme = "https";
    skipVerify = skip;

    HttpResponse<byte[]> whole = get(digest, null);
    assertThat(Arrays.equals(whole.body(), content)).as("the whole blob, byte for byte").isTrue();
    // the store's certificate comes from a CA nobody trusts: relayed only when told not to check it
    assertThat(relayed).hasValue(skip ? 1 : 0);
    assertThat(readThroughClient).hasValue(skip ? 0 : 1);
  }

  @Test
  void aStoreThatBreaksOffMidBodyGivesATruncatedTransferNeverACompleteWrongOne() throws Exception {
    Digest digest = push(new byte[4 * 1024 * 1024]);
    cutOffHalfway = true;

    assertThatThrownBy(() -> get(digest, null)).isInstanceOf(IOException.class);
    // the broken download is reported finished, so it is no longer in flight (a graceful stop would wait for it)
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 0);

    cutOffHalfway = false;
    HttpResponse<byte[]> again = get(digest, null);
    assertThat(Arrays.equals(again.body(), content)).as("the next download is whole").isTrue();
    assertThat(relayed).hasValue(2);
  }

  @Test
  void readsTheStoreOnlyAsFastAsTheClientTakesTheBytes() throws Exception {
    Digest digest = push(new byte[64 * 1024 * 1024]);
    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(64 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      client.getOutputStream().write(("GET /v2/team/app/blobs/" + digest + " HTTP/1.1\r\nHost: registry\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      skipHeaders(in);
      // the client takes nothing more: the store's writes stall once the buffers between them are full, far short
      // of the blob (without the pause the relay would read all 64 MiB into memory)
      await().atMost(Duration.ofSeconds(60)).until(() -> storeWritten.get() > 0);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
          .until(() -> storeWritten.get() < 32L * 1024 * 1024);

      byte[] received = in.readNBytes(content.length);
      assertThat(Arrays.equals(received, content)).as("every byte, once the client reads on").isTrue();
    }
    assertThat(relayed).hasValue(1);
  }

  @Test
  void aClientThatGoesAwayReleasesTheStoresConnection() throws Exception {
    Digest digest = push(new byte[64 * 1024 * 1024]);
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      client.getOutputStream().write(("GET /v2/team/app/blobs/" + digest + " HTTP/1.1\r\nHost: registry\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      skipHeaders(in);
      assertThat(in.readNBytes(1024 * 1024)).hasSize(1024 * 1024);
    }
    assertThat(storeWriteFailed.await(60, TimeUnit.SECONDS)).as("the store's connection was closed").isTrue();
    assertThat(storeWritten.get()).isLessThan(content.length);
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 0);
  }

  private Digest push(byte[] bytes) {
    new Random(11).nextBytes(bytes);
    content = bytes;
    return new BlobTransfer("127.0.0.1:" + server.port()).push("team/app", new ByteArrayInputStream(bytes),
        bytes.length).digest();
  }

  private HttpResponse<byte[]> get(Digest digest, String range) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v2/team/app/blobs/" + digest)).timeout(Duration.ofSeconds(60)).GET();
    if (range != null) {
      request.header("Range", range);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void skipHeaders(InputStream in) throws IOException {
    int matched = 0;
    for (int i = 0; i < 64 * 1024 && matched < 4; i++) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head");
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    assertThat(matched).as("end of the response head").isEqualTo(4);
  }

  /** The stand-in object store: answers the signed range GET as {@link #store} says. */
  private void answer(HttpExchange exchange) throws IOException {
    try {
      seenTarget.set(exchange.getRequestURI().toString());
      String range = exchange.getRequestHeaders().getFirst("Range");
      seenRange.set(range);
      String[] bounds = range.substring("bytes=".length()).split("-");
      int start = Integer.parseInt(bounds[0]);
      int end = Integer.parseInt(bounds[1]);
      if (store == Store.FAILS) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      int length = end - start + 1;
      exchange.sendResponseHeaders(206, store == Store.WRONG_LENGTH ? length - 1 : length);
      OutputStream out = exchange.getResponseBody();
      int limit = cutOffHalfway ? length / 2 : store == Store.WRONG_LENGTH ? length - 1 : length;
      try {
        for (int at = 0; at < limit; at += 64 * 1024) {
          int piece = Math.min(64 * 1024, limit - at);
          out.write(content, start + at, piece);
          storeWritten.addAndGet(piece);
        }
        out.flush();
      } catch (IOException e) {
        storeWriteFailed.countDown();
        throw e;
      }
    } finally {
      // short of the announced length (cut off on purpose), closing the exchange closes the connection
      exchange.close();
    }
  }

  private HttpServer httpsStore(TestCertificates.Issued certificate) throws Exception {
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("store", certificate.keyPair().getPrivate(), new char[0],
        new java.security.cert.Certificate[] {certificate.certificate()});
    javax.net.ssl.KeyManagerFactory managers =
        javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, new char[0]);
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer https =
        com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    https.setExecutor(storeThreads);
    https.createContext("/", this::answer);
    https.start();
    return https;
  }

  /** A port nothing listens on: bound, read, and closed again. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Filesystem storage whose blobs open as signed ranges at the stand-in store, with the file itself as the store's
   * client (the fallback).
   */
  private final class SignedRangeStorage implements RegistryStorage {
    private final FilesystemStorage files;

    SignedRangeStorage(FilesystemStorage files) {
      this.files = files;
    }

    @Override
    public OpenBlob openBlob(RepositoryName repo, Digest digest) {
      BlobInfo info;
      try (OpenBlob file = files.openBlob(repo, digest)) {
        info = file.info();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return OpenBlob.ofRanges(info, new OpenBlob.RangeReader() {
        @Override
        public InputStream open(long start, long length) throws IOException {
          OpenBlob file = files.openBlob(repo, digest);
          InputStream in = Channels.newInputStream(file.channel().position(start));
          return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
              file.close();
            }
          };
        }

        @Override
        public Optional<PresignedRead> presign(long start, long length) {
          int port;
          try {
            port = store == Store.UNREACHABLE ? closedPort() : objectStore.getAddress().getPort();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return Optional.of(new PresignedRead(URI.create(scheme + "://127.0.0.1:" + port + SIGNED_TARGET),
              Map.of("Range", List.of("bytes=" + start + "-" + (start + length - 1))), skipVerify));
        }
      });
    }

    @Override
    public Optional<BlobInfo> blob(RepositoryName repo, Digest digest) {
      return files.blob(repo, digest);
    }

    @Override
    public boolean mountBlob(RepositoryName to, RepositoryName from, Digest digest) {
      return files.mountBlob(to, from, digest);
    }

    @Override
    public void deleteBlob(RepositoryName repo, Digest digest) {
      files.deleteBlob(repo, digest);
    }

    @Override
    public UploadSession startUpload(RepositoryName repo) {
      return files.startUpload(repo);
    }

    @Override
    public UploadSession upload(RepositoryName repo, String uploadId) {
      return files.upload(repo, uploadId);
    }

    @Override
    public ManifestPutResult putManifest(RepositoryName repo, String reference, String contentType, byte[] body) {
      return files.putManifest(repo, reference, contentType, body);
    }

    @Override
    public ManifestPutResult putCachedManifest(RepositoryName repo, String reference, String contentType,
        byte[] body) {
      return files.putCachedManifest(repo, reference, contentType, body);
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repo, String reference) {
      return files.manifest(repo, reference);
    }

    @Override
    public void deleteManifest(RepositoryName repo, String reference) {
      files.deleteManifest(repo, reference);
    }

    @Override
    public List<String> tags(RepositoryName repo) {
      return files.tags(repo);
    }

    @Override
    public List<String> repositories(String last, int limit) {
      return files.repositories(last, limit);
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repo, Digest subject) {
      return files.referrers(repo, subject);
    }

    @Override
    public boolean isWritable() {
      return files.isWritable();
    }
  }
}
