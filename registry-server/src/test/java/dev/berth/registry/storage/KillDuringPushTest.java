package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a process in the middle of pushing loses nothing acknowledged and leaves nothing half-visible. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillDuringPushTest {
  @TempDir Path root;

  @Test
  void killedPusherLeavesAConsistentStoreThatKeepsEveryAcknowledgedImage() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PushLoop.class.getName(),
        root.toString(), "90", "4")
        .redirectErrorStream(true)
        .start();
    List<String> acknowledged = new ArrayList<>();
    long writtenBeforeKill = -1;
    Path uploads = root.resolve("docker/registry/v2/repositories/crash/app/_uploads");
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
      // The proof the kill lands mid-push: the upload's bytes so far are on disk, in a session not yet completed.
      assertThat(uploadedBytes(uploads)).as("bytes of the unfinished upload under _uploads").isEqualTo(writtenBeforeKill);
      // SIGKILL; it also closes our end of the pipe, so lines printed after the last read are not checked
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    assertThat(acknowledged).as("the child pushed four images before it was killed").hasSize(4);

    assertThat(StoreConsistency.problems(root)).isEmpty();
    FilesystemStorage restarted = new FilesystemStorage(root);
    RepositoryName repo = RepositoryName.parse("crash/app");
    for (String line : acknowledged) {
      String[] parts = line.split(" ");
      var stored = restarted.manifest(repo, parts[1]).orElseThrow();
      assertThat(stored.digest()).isEqualTo(Digest.parse(parts[2]));
    }
    assertThat(restarted.tags(repo)).as("the half-pushed fifth image is not visible").doesNotContain("v4");
    // and it keeps working: sweep, then push again over whatever the crash left
    restarted.sweepStale(Duration.ZERO, Duration.ZERO);
    assertThat(uploadedBytes(uploads)).as("the sweep removed the killed upload").isZero();
    byte[] manifest = Fixtures.ociManifest(restarted, repo, 1_000_000, "");
    restarted.putManifest(repo, "after", ManifestMediaTypes.OCI_MANIFEST, manifest);
    assertThat(restarted.manifest(repo, "after")).isPresent();
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  /** The bytes of every file under {@code _uploads} (the unfinished sessions' data), 0 when there is none. */
  private static long uploadedBytes(Path uploads) throws IOException {
    if (!Files.isDirectory(uploads)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(uploads)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().equals("data")) {
          total += Files.size(file);
        }
      }
      return total;
    }
  }
}
