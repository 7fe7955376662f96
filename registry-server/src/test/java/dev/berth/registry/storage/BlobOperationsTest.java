package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.pushBlob;
import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobOperationsTest {
  @TempDir Path root;

  private static void assertBlobUnknown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN));
  }

  @Test
  void openBlobGivesAFileChannelOverTheWholeBlob() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(1, 100_000);
    Digest digest = pushBlob(storage, repo("app"), content);
    try (OpenBlob blob = storage.openBlob(repo("app"), digest)) {
      assertThat(blob.info()).isEqualTo(new BlobInfo(digest, content.length));
      ByteBuffer read = ByteBuffer.allocate(content.length);
      while (read.hasRemaining() && blob.channel().read(read) > 0) {
        // read to the end
      }
      assertThat(read.array()).isEqualTo(content);
    }
  }

  @Test
  void blobsAreVisibleOnlyInRepositoriesTheyAreLinkedInto() {
    FilesystemStorage storage = new FilesystemStorage(root);
    Digest digest = pushBlob(storage, repo("app"), randomBytes(2, 10));
    assertThat(storage.blob(repo("other"), digest)).isEmpty();
    assertBlobUnknown(() -> storage.openBlob(repo("other"), digest));
    assertBlobUnknown(() -> storage.openBlob(repo("app"), Digest.sha256(new byte[] {9})));
  }

  @Test
  void mountLinksAnExistingBlobAndRefusesAMissingOne() {
    FilesystemStorage storage = new FilesystemStorage(root);
    Digest digest = pushBlob(storage, repo("app"), randomBytes(3, 10));

    assertThat(storage.mountBlob(repo("copy"), repo("app"), digest)).isTrue();
    assertThat(storage.blob(repo("copy"), digest)).isPresent();
    assertThat(storage.mountBlob(repo("third"), repo("nowhere"), digest)).isFalse();
    assertThat(storage.blob(repo("third"), digest)).isEmpty();
    assertThat(root.resolve("docker/registry/v2/repositories/third")).doesNotExist();
  }

  @Test
  void deleteUnlinksButLeavesDataForGarbageCollection() {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(4, 10);
    Digest digest = pushBlob(storage, repo("app"), content);
    storage.mountBlob(repo("copy"), repo("app"), digest);
    storage.deleteBlob(repo("app"), digest);

    assertThat(storage.blob(repo("app"), digest)).isEmpty();
    assertThat(storage.blob(repo("copy"), digest)).isPresent();
    assertThat(root.resolve("docker/registry/v2/repositories/app/_layers/sha256/" + digest.hex())).doesNotExist();
    assertBlobUnknown(() -> storage.deleteBlob(repo("app"), digest));
  }

  @Test
  void linkWithoutDataIsUnknown() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    Digest digest = pushBlob(storage, repo("app"), randomBytes(5, 10));
    Files.delete(root.resolve("docker/registry/v2/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data"));
    assertThat(storage.blob(repo("app"), digest)).isEmpty();
    assertBlobUnknown(() -> storage.openBlob(repo("app"), digest));
  }

  @Test
  void writableWhenTheRootCanTakeFilesAndNotWhenItIsAFile() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root.resolve("data"));
    assertThat(storage.isWritable()).isTrue();
    try (var files = Files.list(root.resolve("data/docker/registry/v2"))) {
      assertThat(files).isEmpty(); // the probe leaves nothing behind
    }
    // permissions do not stop root (tests may run as root), so block the path with a file instead
    Path blocked = Files.writeString(root.resolve("blocked"), "not a directory");
    assertThat(new FilesystemStorage(blocked).isWritable()).isFalse();
  }
}
