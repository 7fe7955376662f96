package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.S3Storage;
import dev.berth.registry.storage.StorageLayout;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthProcess;
import dev.berth.registry.testsupport.MutableClock;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import dev.berth.registry.testsupport.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of a {@code garbage-collect} process in the middle of its blob sweep, beside a running server: every image
 * still pulls with every blob re-hashed, the server takes pushes, and the next collection (once the dead run's lock is
 * stale) completes and removes the rest of the garbage.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"filesystem", "s3"})
class KillDuringGcTest {
  @TempDir Path temp;
  @Parameter String medium;

  @Test
  void nothingLiveIsLostAndTheNextRunCompletes() throws Exception {
    boolean onS3 = medium.equals("s3");
    S3Bucket bucket = onS3 ? S3Bucket.create(SharedS3Proxy.server()) : null;
    // s3proxy deletes an object in a few milliseconds, a directory in a fraction of one: fewer to keep the run short
    int garbageCount = onS3 ? 3_000 : 20_000;
    // the layout as files: a directory, or the bucket's objects as s3proxy keeps them
    Path root = onS3 ? bucket.root() : temp.resolve("root");
    StorageLayout layout = new StorageLayout(root);
    try (DriverStorage storage = onS3 ? new S3Storage(bucket.settings(), Duration.ofSeconds(30))
            : new FilesystemStorage(root);
        BerthProcess server = onS3 ? BerthProcess.startOnS3(bucket, temp) : BerthProcess.start(root, temp)) {
      SoakClient client = new SoakClient(server.hostPort());
      List<SoakClient.Image> images = new ArrayList<>();
      byte[] base = random(1, 50_000);
      for (int i = 0; i < 6; i++) {
        SoakClient.Image image = SoakClient.image("crash/app", "v" + i, List.of(base, random(10 + i, 5_000)),
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        client.push(image, true);
        images.add(image);
      }
      List<Digest> garbage = writeGarbage(layout, garbageCount);
      backdate(root);

      Path config = onS3 ? BerthConfigs.writeS3Yaml(temp.resolve("gc.yml"), bucket, 0)
          : BerthConfigs.writeLoopbackYaml(temp.resolve("gc.yml"), root, 0);
      Files.writeString(config, "gc:\n  gracePeriod: 1s\n", StandardOpenOption.APPEND);
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          "dev.berth.registry.Main", "garbage-collect", "--quiet", config.toString());
      ServerProcess gc = ServerProcess.start(command, temp, temp.resolve("gc.log"));
      List<Digest> sample = garbage.subList(0, 400);
      try {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
            .until(() -> sample.stream().anyMatch(d -> !Files.exists(layout.blobData(d))) || !gc.isAlive());
        assertThat(gc.isAlive()).as("the collector must still be sweeping when killed: %s", gc.diagnostics()).isTrue();
      } finally {
        gc.kill();
      }
      // S3 finishes a delete request its client died in the middle of: the count is read once it holds still
      int left = onS3 ? settledRemaining(layout, garbage) : remaining(layout, garbage);
      assertThat(left).as("killed mid-sweep: some garbage deleted, some left").isBetween(1, garbage.size() - 1);
      assertThat(new LayoutGcStore(storage.files()).readMarker(FenceMarkers.LOCK)).as("the dead run's lock").isPresent();

      assertPullsBack(client, images);
      SoakClient.Image after = SoakClient.image("crash/app", "after", List.of(base, random(99, 5_000)),
          "{\"after\":true}".getBytes(StandardCharsets.UTF_8));
      client.push(after, true);
      images.add(after);

      // the next run: its clock is past the dead run's lock (stale after four leases); it completes
      LayoutGcStore store = new LayoutGcStore(storage.files());
      MutableClock later = new MutableClock(Instant.now().plus(Duration.ofMinutes(10)));
      GcReport report = new GarbageCollector(store, FenceTiming.DEFAULTS, later)
          .run(GcOptions.defaults().withGracePeriod(Duration.ofMinutes(5)), GcEvents.NONE).orElseThrow();
      assertThat(report.complete()).as(String.valueOf(report.error())).isTrue();
      assertThat(report.blobsDeleted()).as(report.toString()).isEqualTo(left);
      assertThat(remaining(layout, garbage)).isZero();
      assertPullsBack(client, images);
    }
  }

  private static void assertPullsBack(SoakClient client, List<SoakClient.Image> images) throws Exception {
    for (SoakClient.Image image : images) {
      byte[] manifest = client.get(image.repo() + "/manifests/" + image.tag());
      assertThat(manifest).as(image.tag()).isNotNull();
      assertThat(Digest.sha256(manifest)).isEqualTo(image.manifest());
      for (Digest blob : image.blobs().keySet()) {
        byte[] content = client.get(image.repo() + "/blobs/" + blob);
        assertThat(content).as(image.tag() + " " + blob).isNotNull();
        assertThat(Digest.sha256(content)).isEqualTo(blob);
      }
    }
  }

  /** Unreferenced blobs as crashed pushes leave them: data in the blob store, no link, no manifest. */
  private static List<Digest> writeGarbage(StorageLayout layout, int count) throws Exception {
    List<Digest> garbage = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      byte[] content = ("garbage " + i).getBytes(StandardCharsets.UTF_8);
      Digest digest = Digest.sha256(content);
      if (seen.add(digest)) {
        Path data = layout.blobData(digest);
        Files.createDirectories(data.getParent());
        Files.write(data, content);
        garbage.add(digest);
      }
    }
    return garbage;
  }

  /** The remaining count once two reads half a second apart agree (bounded). */
  private static int settledRemaining(StorageLayout layout, List<Digest> garbage) {
    int[] last = {-1};
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> remaining(layout, garbage), count -> {
          boolean settled = count == last[0];
          last[0] = count;
          return settled;
        });
  }

  private static int remaining(StorageLayout layout, List<Digest> garbage) {
    return (int) garbage.stream().filter(d -> Files.exists(layout.blobData(d))).count();
  }

  private static void backdate(Path root) throws Exception {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (var files = Files.walk(root.resolve("docker"))) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, hourAgo);
      }
    }
  }

  private static byte[] random(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
