package dev.berth.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.ReferenceFence;
import dev.berth.registry.storage.S3Storage;
import dev.berth.registry.storage.StorageLayout;
import dev.berth.registry.storage.UploadSession;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code garbage-collect} in-process: distribution's flags, its report lines, the JSON report, config errors. */
class GarbageCollectCommandTest {
  private static final RepositoryName APP = RepositoryName.parse("app");

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path root;
  private Digest orphan;
  private Digest layer;

  @BeforeEach
  void storeAnImageAndAnOrphan() throws Exception {
    root = tmp.resolve("root");
    FilesystemStorage storage = new FilesystemStorage(root, Duration.ofSeconds(30), ReferenceFence.NONE);
    layer = storeImage(storage);
    orphan = push(storage, "orphan");
    backdate(root); // past the 1ms grace period the tests pass: file mtimes are the real clock's
  }

  /** An image tagged v1 whose layer holds "layer"; returns the layer's digest. */
  private static Digest storeImage(DriverStorage storage) {
    Digest config = push(storage, "{}");
    Digest layer = push(storage, "layer");
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":"
        + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer
        + "\",\"size\":5}]}";
    storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    return layer;
  }

  @AfterEach
  void restoreTheTestLoggingConfiguration() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void aDryRunListsWhatWouldGoAndDeletesNothing() throws Exception {
    int code = run("garbage-collect", "--dry-run", "--grace-period", "1ms", config(""));

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("app: marking manifest sha256:", "app: marking blob " + layer)
        .contains("blob eligible for deletion: " + orphan)
        .contains("1 blobs and 0 manifests eligible for deletion (dry run: nothing deleted)");
    assertThat(Files.exists(new StorageLayout(root).blobData(orphan))).isTrue();
  }

  @Test
  void aRunDeletesTheOrphanKeepsTheImageAndWritesAJsonReport() throws Exception {
    Path report = tmp.resolve("report.json");
    int code = run("garbage-collect", "--grace-period", "1ms", "--report-file", report.toString(), config(""));

    assertThat(code).as(err.toString()).isZero();
    StorageLayout layout = new StorageLayout(root);
    assertThat(Files.exists(layout.blobData(orphan))).isFalse();
    assertThat(Files.exists(layout.blobData(layer))).isTrue();
    assertThat(out.toString()).contains("deleting blob: " + orphan, "1 blobs and 0 manifests deleted", "bytes freed");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("blobsDeleted").asInt()).isEqualTo(1);
    assertThat(json.get("bytesFreed").asLong()).isEqualTo("orphan".length());
    assertThat(json.has("lastStart") && json.has("lastCompletion")).isTrue();
    assertThat(json.has("error")).isFalse();
  }

  @Test
  void theGracePeriodFromTheConfigKeepsEverythingYoung() throws Exception {
    int code = run("garbage-collect", "--dry-run", config("gc:\n  gracePeriod: 2h\n"));

    assertThat(code).isZero();
    assertThat(out.toString()).contains("0 blobs and 0 manifests eligible");
  }

  @Test
  void aBadGracePeriodIsAConfigErrorNamingTheKey() throws Exception {
    assertThat(run("garbage-collect", config("gc:\n  gracePeriod: soon\n"))).isEqualTo(2);
    assertThat(err.toString()).contains("gc.gracePeriod");

    assertThat(run("garbage-collect", "--grace-period", "-1h", config(""))).isEqualTo(2);
    assertThat(err.toString()).contains("--grace-period");
  }

  @Test
  void onS3ItCollectsTheBucketTheServerServes() throws Exception {
    S3Bucket bucket = S3Bucket.create(SharedS3Proxy.server());
    Digest s3Orphan;
    Digest s3Layer;
    try (S3Storage storage = new S3Storage(bucket.settings(), Duration.ofSeconds(30))) {
      s3Layer = storeImage(storage);
      s3Orphan = push(storage, "an orphan in the bucket");
    }
    String config = Files.writeString(tmp.resolve("s3.yml"), "version: 0.1\nstorage:\n" + bucket.yaml()).toString();
    StorageLayout layout = new StorageLayout(bucket.root());

    // LastModified counts whole seconds: retried until the orphan is past the 1ms grace period by the bucket's clock
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(run("garbage-collect", "--grace-period", "1ms", config)).as(err.toString()).isZero();
      assertThat(Files.exists(layout.blobData(s3Orphan))).as("the orphan's object").isFalse();
    });
    assertThat(Files.exists(layout.blobData(s3Layer))).as("the image's layer").isTrue();
    assertThat(out.toString()).contains("deleting blob: " + s3Orphan);
  }

  @Test
  void aMissingBucketIsAConfigErrorNamingTheKey() throws Exception {
    String yaml = S3Bucket.create(SharedS3Proxy.server()).yaml().replaceFirst("bucket: \\S+", "bucket: no-such-bucket");
    String config = Files.writeString(tmp.resolve("s3.yml"), "version: 0.1\nstorage:\n" + yaml).toString();

    assertThat(run("garbage-collect", config)).isEqualTo(2);
    assertThat(err.toString()).contains("storage.s3.bucket:", "no-such-bucket", "does not exist");
  }

  private int run(String... args) {
    CommandLine commandLine = RegistryServerCommand.commandLine(Map.of(), config -> {
      throw new AssertionError("garbage-collect must not start a server");
    }, server -> {});
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String config(String extra) throws Exception {
    return Files.writeString(tmp.resolve("config.yml"), "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
        + root + "\n" + extra).toString();
  }

  private static void backdate(Path dir) throws Exception {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (var files = Files.walk(dir)) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, hourAgo);
      }
    }
  }

  private static Digest push(DriverStorage storage, String text) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(content);
    UploadSession upload = storage.startUpload(APP);
    upload.append(ByteBuffer.wrap(content));
    upload.complete(digest);
    return digest;
  }
}
