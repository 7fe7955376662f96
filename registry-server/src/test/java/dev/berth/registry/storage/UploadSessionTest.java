package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadSessionTest {
  @TempDir Path root;

  private static final RepositoryName APP = repo("team/app");

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private Path blobData(Digest digest) {
    return root.resolve("docker/registry/v2/blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/"
        + digest.hex() + "/data");
  }

  @Test
  void manySmallChunksHashToTheRightDigest() {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(7, 300_001);
    UploadSession upload = storage.startUpload(APP);
    for (int offset = 0; offset < content.length; offset += 997) {
      int length = Math.min(997, content.length - offset);
      // direct buffers, as Netty hands them over, with a non-zero position
      ByteBuffer chunk = ByteBuffer.allocateDirect(length + 5);
      chunk.position(5);
      chunk.put(content, offset, length);
      chunk.position(5);
      upload.append(chunk);
      assertThat(chunk.hasRemaining()).isFalse();
      assertThat(upload.size()).isEqualTo(offset + length);
    }
    BlobInfo info = upload.complete(Digest.sha256(content));

    assertThat(info).isEqualTo(new BlobInfo(Digest.sha256(content), content.length));
    assertThat(storage.blob(APP, info.digest())).contains(info);
    assertThat(blobData(info.digest())).hasBinaryContent(content);
  }

  @Test
  void sha512DigestsAreVerifiedAndStoredUnderSha512() {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(3, 10_000);
    Digest sha512 = Digest.of("sha512", content);
    UploadSession upload = storage.startUpload(APP);
    upload.append(ByteBuffer.wrap(content, 0, 4000));
    upload.append(ByteBuffer.wrap(content, 4000, 6000));

    assertThat(upload.complete(sha512)).isEqualTo(new BlobInfo(sha512, content.length));
    assertThat(blobData(sha512)).hasBinaryContent(content);
    assertThat(storage.blob(APP, sha512)).isPresent();
    assertThat(storage.blob(APP, Digest.sha256(content))).isEmpty();
  }

  @Test
  void wrongDigestIsRefusedAndLeavesNoBlobAndNoUpload() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(1, 5000);
    Digest claimed = Digest.sha256("something else".getBytes());
    UploadSession upload = storage.startUpload(APP);
    upload.append(ByteBuffer.wrap(content));

    assertCode(() -> upload.complete(claimed), ErrorCode.DIGEST_INVALID);
    assertThat(blobData(claimed)).doesNotExist();
    assertThat(blobData(Digest.sha256(content))).doesNotExist();
    assertThat(storage.blob(APP, claimed)).isEmpty();
    assertThat(root.resolve("docker/registry/v2/repositories/team/app/_uploads/" + upload.id())).doesNotExist();
    assertCode(() -> storage.upload(APP, upload.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void sessionLivesAcrossRequestsAndEndsWithCompletion() {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(2, 2048);
    String id = storage.startUpload(APP).id();
    storage.upload(APP, id).append(ByteBuffer.wrap(content, 0, 1000));
    UploadSession again = storage.upload(APP, id);
    assertThat(again.size()).isEqualTo(1000);
    again.append(ByteBuffer.wrap(content, 1000, 1048));
    storage.upload(APP, id).complete(Digest.sha256(content));

    assertCode(() -> storage.upload(APP, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> again.append(ByteBuffer.wrap(content)), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> again.complete(Digest.sha256(content)), ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void uploadSurvivesARestartAndIsRehashedOnCompletion() {
    byte[] content = randomBytes(4, 70_000);
    String id;
    {
      FilesystemStorage before = new FilesystemStorage(root);
      UploadSession upload = before.startUpload(APP);
      upload.append(ByteBuffer.wrap(content, 0, 30_000));
      id = upload.id();
    }
    FilesystemStorage after = new FilesystemStorage(root);
    UploadSession resumed = after.upload(APP, id);
    assertThat(resumed.size()).isEqualTo(30_000);
    resumed.append(ByteBuffer.wrap(content, 30_000, 40_000));

    assertThat(resumed.complete(Digest.sha256(content)).size()).isEqualTo(content.length);
    assertThat(blobData(Digest.sha256(content))).hasBinaryContent(content);
  }

  @Test
  void resumedUploadWithWrongDigestIsStillRefused() {
    byte[] content = randomBytes(5, 1000);
    String id = new FilesystemStorage(root).startUpload(APP).id();
    FilesystemStorage after = new FilesystemStorage(root);
    after.upload(APP, id).append(ByteBuffer.wrap(content));

    assertCode(() -> after.upload(APP, id).complete(Digest.sha256(new byte[0])), ErrorCode.DIGEST_INVALID);
    assertThat(after.blob(APP, Digest.sha256(new byte[0]))).isEmpty();
  }

  @Test
  void emptyBlobCanBeUploaded() {
    FilesystemStorage storage = new FilesystemStorage(root);
    Digest empty = Digest.sha256(new byte[0]);
    assertThat(storage.startUpload(APP).complete(empty)).isEqualTo(new BlobInfo(empty, 0));
    assertThat(storage.blob(APP, empty)).contains(new BlobInfo(empty, 0));
  }

  @Test
  void cancelRemovesTheUploadDirectory() {
    FilesystemStorage storage = new FilesystemStorage(root);
    UploadSession upload = storage.startUpload(APP);
    upload.append(ByteBuffer.wrap(new byte[100]));
    upload.cancel();

    assertThat(root.resolve("docker/registry/v2/repositories/team/app/_uploads/" + upload.id())).doesNotExist();
    assertCode(() -> storage.upload(APP, upload.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(upload::cancel, ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void unknownMalformedOrForeignUploadIdsAreUnknown() {
    FilesystemStorage storage = new FilesystemStorage(root);
    String id = storage.startUpload(APP).id();

    assertCode(() -> storage.upload(repo("other"), id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> storage.upload(APP, "3f1e0f3c-0000-4000-8000-000000000000"), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> storage.upload(APP, "../../../etc"), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> storage.upload(APP, ""), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertCode(() -> storage.upload(APP, null), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    // and the id still works in its own repository, also from a fresh process
    assertThat(new FilesystemStorage(root).upload(APP, id).size()).isZero();
    assertCode(() -> new FilesystemStorage(root).upload(repo("other"), id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void sameContentUploadedTwiceEndsAsOneBlobLinkedInBothRepositories() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(9, 4096);
    Digest digest = Fixtures.pushBlob(storage, repo("a"), content);
    Fixtures.pushBlob(storage, repo("b"), content);

    assertThat(storage.blob(repo("a"), digest)).isPresent();
    assertThat(storage.blob(repo("b"), digest)).isPresent();
    assertThat(blobData(digest)).hasBinaryContent(content);
    try (var files = Files.list(blobData(digest).getParent())) {
      assertThat(files).hasSize(1);
    }
  }
}
