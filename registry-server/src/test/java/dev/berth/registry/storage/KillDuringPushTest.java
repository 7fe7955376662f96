package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        root.toString(), "90")
        .redirectErrorStream(true)
        .start();
    List<String> acknowledged = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String line;
      // let a few images land, then kill it at an arbitrary point of the next push
      while (acknowledged.size() < 4 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.startsWith("pushed ")) {
          acknowledged.add(line);
        }
      }
      Thread.sleep(37);
      // SIGKILL; it also closes our end of the pipe, so lines printed after the last read are not checked
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    assertThat(acknowledged).as("the child pushed something before it was killed").hasSizeGreaterThanOrEqualTo(4);

    assertThat(StoreConsistency.problems(root)).isEmpty();
    FilesystemStorage restarted = new FilesystemStorage(root);
    RepositoryName repo = RepositoryName.parse("crash/app");
    for (String line : acknowledged) {
      String[] parts = line.split(" ");
      var stored = restarted.manifest(repo, parts[1]).orElseThrow();
      assertThat(stored.digest()).isEqualTo(Digest.parse(parts[2]));
    }
    // and it keeps working: sweep, then push again over whatever the crash left
    restarted.sweepStale(Duration.ZERO, Duration.ZERO);
    byte[] manifest = Fixtures.ociManifest(restarted, repo, 1_000_000, "");
    restarted.putManifest(repo, "after", ManifestMediaTypes.OCI_MANIFEST, manifest);
    assertThat(restarted.manifest(repo, "after")).isPresent();
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }
}
