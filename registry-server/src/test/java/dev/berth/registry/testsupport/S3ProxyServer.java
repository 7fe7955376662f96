package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.AssertionFailedError;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy (Maven Central {@code org.gaul:s3proxy}, jar-with-dependencies) as a child process: the S3 server of the
 * tests. It listens on a free 127.0.0.1 port, keeps every object as a plain file under {@code dataDir/<bucket>/<key>}
 * (jclouds' filesystem-nio2 backend), checks SigV4 with a fixed identity and credential, and enforces S3's 5 MiB
 * minimum part size, so the tests see what real S3 does. Stopped (or killed) by its own pid.
 *
 * <p>The jar is {@code target/s3proxy/s3proxy.jar} of the module running the tests (the parent pom's
 * maven-dependency-plugin execution {@code s3proxy-jar} copies it there; a module gets it by naming that plugin), or
 * the file named by the system property {@code berth.s3proxy.jar}.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "berth-test";
  public static final String CREDENTIAL = "berth-test-secret";
  public static final String REGION = "us-east-1";
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServerProcess process;
  private final int port;
  private final Path dataDir;

  private S3ProxyServer(ServerProcess process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Starts s3proxy with its data, properties file and log under {@code workDir}; waits until it answers HTTP. Retries
   * on another port when the one picked was taken meanwhile.
   */
  public static S3ProxyServer start(Path workDir) {
    Path dataDir = workDir.resolve("s3-data");
    AssertionFailedError lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return start(workDir, LoopbackPorts.free(), dataDir);
      } catch (AssertionFailedError e) {
        lastFailure = e;
        if (!isPortTaken(e)) {
          break;
        }
      }
    }
    throw lastFailure;
  }

  /**
   * Stops this server and starts s3proxy again on the same port and data directory, as an S3 endpoint that was
   * unreachable for a while comes back with its objects. The port may be held by no one else meanwhile: a few bounded
   * attempts, each waiting for s3proxy to answer, cover the old socket's release.
   */
  public S3ProxyServer restart(Path workDir) {
    close();
    AssertionFailedError lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return start(workDir, port, dataDir);
      } catch (AssertionFailedError e) {
        lastFailure = e;
        if (!isPortTaken(e)) {
          break;
        }
      }
    }
    throw lastFailure;
  }

  private static S3ProxyServer start(Path workDir, int port, Path dataDir) {
    Path jar = jar();
    Path properties = writeProperties(workDir.resolve("s3proxy-" + port + ".properties"), port, dataDir);
    ServerProcess process = ServerProcess.start(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-jar", jar.toString(), "--properties", properties.toString()),
        workDir, workDir.resolve("s3proxy-" + port + "-" + System.nanoTime() + ".log"));
    try {
      awaitAnswering(port, process);
      return new S3ProxyServer(process, port, dataDir);
    } catch (AssertionFailedError e) {
      process.stop();
      throw e; // its message has the process's diagnostics
    }
  }

  private static boolean isPortTaken(AssertionFailedError e) {
    return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("address already in use");
  }

  /** The jar, or a failure under CI and a skip elsewhere when the build did not copy it. */
  static Path jar() {
    String named = System.getProperty("berth.s3proxy.jar");
    Path jar = named != null && !named.isBlank() ? Path.of(named) : Path.of("target", "s3proxy", "s3proxy.jar");
    CiSkipRule.require(Files.isRegularFile(jar), "the s3proxy jar " + jar.toAbsolutePath() + " is missing (the"
        + " parent pom's maven-dependency-plugin execution s3proxy-jar copies it in generate-test-resources)");
    return jar.toAbsolutePath();
  }

  private static Path writeProperties(Path file, int port, Path dataDir) {
    String properties = """
        s3proxy.endpoint=http://127.0.0.1:%d
        s3proxy.authorization=aws-v2-or-v4
        s3proxy.identity=%s
        s3proxy.credential=%s
        jclouds.provider=filesystem-nio2
        jclouds.filesystem.basedir=%s
        """.formatted(port, IDENTITY, CREDENTIAL, dataDir.toAbsolutePath());
    try {
      Files.createDirectories(dataDir);
      return Files.writeString(file, properties);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any HTTP answer (403 to an unsigned GET /) proves Jetty is serving; polls every 50 ms within the limit. */
  private static void awaitAnswering(int port, ServerProcess process) {
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionFailedError("s3proxy exited before it was ready\n" + process.diagnostics());
      }
      try {
        HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionFailedError("s3proxy not answering within " + READY_LIMIT + " (" + lastProblem + ")\n"
        + process.diagnostics());
  }

  /** {@code http://127.0.0.1:<port>}: the {@code regionendpoint} for Berth and for docker-registry. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Where bucket {@code b}'s key {@code k} is the file {@code dataDir/b/k}. */
  public Path dataDir() {
    return dataDir;
  }

  public Path objectFile(String bucket, String key) {
    return dataDir.resolve(bucket).resolve(key);
  }

  public ServerProcess process() {
    return process;
  }

  /** A new SDK client for this server (path-style, SigV4 with the fixed identity); the caller closes it. */
  public S3Client client() {
    return client(IDENTITY, CREDENTIAL);
  }

  /** A client signing with other keys: for the tests of wrong credentials. */
  public S3Client client(String identity, String credential) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Creates a bucket with a name no other test of this JVM uses, and returns the name. */
  public String newBucket() {
    String name = "berth-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    createBucket(name);
    return name;
  }

  public void createBucket(String name) {
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(name));
    }
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    process.stop();
  }
}
