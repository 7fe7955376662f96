package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.testsupport.BerthProcess;
import dev.berth.registry.testsupport.BlobTransfer;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.GeneratedContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob bodies stream: a 2 GiB blob goes in and out of a Berth JVM whose heap is 128 MiB, sixteen times smaller than
 * the blob. Runs in CI; about a minute on a 2-core machine.
 */
class LargeBlobTest {
  private static final long TWO_GIB = 2L << 30;

  @TempDir Path temp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void twoGibBlobPushAndPullThroughA128MibHeap() throws Exception {
    Path root = temp.resolve("root");
    try (BerthProcess berth = BerthProcess.start(root, temp, "-Xmx128m")) {
      assertThat(berth.process().runningCommandLine()).as("the server JVM's arguments").contains("-Xmx128m");
      BlobTransfer client = new BlobTransfer(berth.hostPort());

      BlobTransfer.Transferred pushed = client.push("big/blob", new GeneratedContent(2, TWO_GIB), TWO_GIB);
      assertThat(Files.size(new DistributionLayout(root).blobData(pushed.digest()))).isEqualTo(TWO_GIB);

      BlobTransfer.Transferred pulled = client.pull("big/blob", pushed.digest());
      assertThat(pulled).isEqualTo(pushed);
      assertThat(pulled.length()).isEqualTo(TWO_GIB);

      assertThat(berth.process().isAlive()).isTrue();
      assertThat(Files.readString(berth.process().log())).doesNotContain("OutOfMemoryError");
    }
  }
}
