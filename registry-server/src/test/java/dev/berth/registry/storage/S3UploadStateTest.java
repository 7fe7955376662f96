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
import org.junit.jupiter.api.Test;

/**
 * The upload state's conditional write on S3: of two replicas continuing one upload from the same state, the second
 * is told to resume (416 with the stored offset) and loses nothing the first stored; the client then resumes.
 */
class S3UploadStateTest {
  private static final RepositoryName APP = repo("team/state");
  private final StorageBackend backend = StorageBackend.s3(S3Settings.MIN_CHUNK_SIZE);

  @Test
  void theSecondOfTwoReplicasContinuingFromOneStateGets416AndTheClientResumes() {
    byte[] content = randomBytes(11, 3000);
    String id = backend.open().startUpload(APP).id();
    UploadSession first = backend.open().upload(APP, id);
    UploadSession second = backend.open().upload(APP, id);

    first.append(ByteBuffer.wrap(content, 0, 1000));
    first.flush();
    first.release();
    second.append(ByteBuffer.wrap(content, 0, 500));

    assertThatThrownBy(second::flush).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
      assertThat(e.httpStatus()).isEqualTo(416);
      assertThat(e.getMessage()).contains("continued by another request meanwhile");
    });
    UploadSession resumed = backend.open().upload(APP, id);
    assertThat(resumed.size()).as("what the first stored").isEqualTo(1000);
    resumed.append(ByteBuffer.wrap(content, 1000, content.length - 1000));
    Digest digest = Digest.sha256(content);
    assertThat(resumed.complete(digest)).isEqualTo(new BlobInfo(digest, content.length));
  }
}
