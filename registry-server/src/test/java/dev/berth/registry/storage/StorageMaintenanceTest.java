package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageMaintenanceTest {
  @TempDir Path root;

  @Test
  void sweepsInTheBackgroundUntilClosed() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    Fixtures.pushBlob(storage, Fixtures.repo("app"), new byte[] {1});
    Path v2 = root.resolve("docker/registry/v2");
    Path stale = Files.write(v2.resolve(DurableFiles.TEMP_PREFIX + "crashed"), new byte[] {1});
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    try (StorageMaintenance maintenance =
        new StorageMaintenance(storage, Duration.ofMillis(50), StorageMaintenance.UPLOAD_MAX_AGE, Duration.ofHours(1))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.notExists(stale));
    }
    Path later = Files.write(v2.resolve(DurableFiles.TEMP_PREFIX + "after-close"), new byte[] {1});
    Files.setLastModifiedTime(later, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Thread.sleep(300);
    assertThat(later).exists();
  }
}
