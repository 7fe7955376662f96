package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.RegistryMedium;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of a process in the middle of pushing loses nothing acknowledged and leaves nothing half-visible, on the
 * filesystem and on S3 (s3proxy, 5 MiB parts, so the killed upload has a multipart upload in progress).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillDuringPushTest {
  private static final RepositoryName REPO = RepositoryName.parse("crash/app");
  private static final int PAUSED_PUSH = 4;

  static Stream<StorageBackend> backends() {
    return Stream.of(StorageBackend.filesystem(), StorageBackend.s3(S3Settings.MIN_CHUNK_SIZE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void killedPusherLeavesAConsistentStoreThatKeepsEveryAcknowledgedImage(StorageBackend backend) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        PushLoop.class.getName(), "90", String.valueOf(PAUSED_PUSH)));
    command.addAll(backend.locator());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> acknowledged = new ArrayList<>();
    long writtenBeforeKill = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String line;
      // four images land, then the fifth push stops half-way through its layer and says how far it got
      while (writtenBeforeKill < 0 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.startsWith("pushed ")) {
          acknowledged.add(line);
        } else if (line.startsWith("mid-upload ")) {
          writtenBeforeKill = Long.parseLong(line.substring("mid-upload ".length()));
        }
      }
      assertThat(writtenBeforeKill).as("the child reported a push in flight").isPositive();
      // The proof the kill lands mid-push: the upload's bytes so far are stored, in a session not yet completed
      // (on S3: one part of a multipart upload in progress, the rest in a side object).
      RegistryMedium.InFlight inFlight = backend.inFlight(REPO);
      assertThat(inFlight.bytes()).as("bytes of the unfinished upload").isEqualTo(writtenBeforeKill);
      assertThat(inFlight.multipartUploads()).as("multipart uploads in progress")
          .isEqualTo(backend.isObjectStore() ? 1 : 0);
      // SIGKILL; it also closes our end of the pipe, so lines printed after the last read are not checked
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    assertThat(acknowledged).as("the child pushed four images before it was killed").hasSize(PAUSED_PUSH);

    assertThat(StoreConsistency.problems(backend.root())).isEmpty();
    Digest interrupted = Digest.sha256(Fixtures.randomBytes(PAUSED_PUSH, PushLoop.PAUSE_AFTER + 512 * 1024 + PAUSED_PUSH));
    assertThat(new DistributionLayout(backend.root()).blobData(interrupted))
        .as("the interrupted blob's data").doesNotExist();
    DriverStorage restarted = backend.open();
    for (String line : acknowledged) {
      String[] parts = line.split(" ");
      var stored = restarted.manifest(REPO, parts[1]).orElseThrow();
      assertThat(stored.digest()).isEqualTo(Digest.parse(parts[2]));
    }
    assertThat(restarted.tags(REPO)).as("the half-pushed fifth image is not visible").doesNotContain("v" + PAUSED_PUSH);
    assertThat(restarted.blob(REPO, interrupted)).as("the interrupted blob").isEmpty();
    // and it keeps working: sweep (which aborts the killed multipart upload on S3), then push again over the rest
    restarted.sweepStale(Duration.ZERO, Duration.ZERO);
    assertThat(backend.inFlight(REPO)).as("the sweep removed the killed upload")
        .isEqualTo(RegistryMedium.InFlight.NONE);
    assertThat(RegistryMedium.uploadFiles(backend.root(), REPO.value())).as("the killed upload's files").isEmpty();
    byte[] manifest = Fixtures.ociManifest(restarted, REPO, 1_000_000, "");
    restarted.putManifest(REPO, "after", ManifestMediaTypes.OCI_MANIFEST, manifest);
    assertThat(restarted.manifest(REPO, "after")).isPresent();
    assertThat(StoreConsistency.problems(backend.root())).isEmpty();
  }
}
