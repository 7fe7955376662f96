package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import dev.berth.registry.testsupport.RegistryMedium;

/**
 * Uploads as every medium must do them, run on the filesystem and on S3 (s3proxy, which enforces S3's 5 MiB part
 * minimum) with the smallest part size: chunks continued by another storage instance (a restarted server, another
 * replica), tails shorter than a part carried between requests, verification before visibility, cancel, purge.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class UploadContractTest {
  private static final java.util.concurrent.atomic.AtomicInteger REPOS = new java.util.concurrent.atomic.AtomicInteger();
  /** The backend is shared by the class's tests; each test has a repository of its own. */
  private final RepositoryName APP = repo("team/app" + REPOS.incrementAndGet());
  private static final int MIB = 1024 * 1024;

  @Parameter StorageBackend backend;

  static java.util.stream.Stream<StorageBackend> backends() {
    return java.util.stream.Stream.of(StorageBackend.filesystem(), StorageBackend.s3(S3Settings.MIN_CHUNK_SIZE));
  }

  @Test
  void chunksContinuedByOtherInstancesMakeTheBlob() throws IOException {
    byte[] content = randomBytes(7, 12 * MIB + 12345); // two full 5 MiB parts and a tail
    String id = backend.open().startUpload(APP).id();
    // uneven chunks, each on a new instance: tails under one part cross requests, parts fill across chunks
    int[] cuts = {0, 3 * MIB, 3 * MIB + 1, 8 * MIB, 11 * MIB, content.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      UploadSession session = backend.open().upload(APP, id);
      assertThat(session.size()).isEqualTo(cuts[i]);
      session.append(ByteBuffer.wrap(content, cuts[i], cuts[i + 1] - cuts[i]));
      session.flush();
      session.release();
    }
    Digest digest = Digest.sha256(content);
    DriverStorage finisher = backend.open();
    assertThat(finisher.blob(APP, digest)).isEmpty();
    BlobInfo info = finisher.upload(APP, id).complete(digest);
    assertThat(info).isEqualTo(new BlobInfo(digest, content.length));
    DriverStorage reader = backend.open();
    assertThat(readAll(reader.openBlob(APP, digest))).isEqualTo(content);
    assertCode(() -> reader.upload(APP, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void chunksAlternatingBetweenTwoLiveReplicasMakeTheBlob() throws IOException {
    byte[] content = randomBytes(8, 11 * MIB + 321);
    DriverStorage a = backend.open();
    DriverStorage b = backend.open(); // both stay up, as two replicas behind a Service on one volume or bucket
    String id = a.startUpload(APP).id();
    int[] cuts = {0, 3 * MIB, 3 * MIB + 1, 8 * MIB, 9 * MIB, content.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      UploadSession session = (i % 2 == 0 ? a : b).upload(APP, id);
      assertThat(session.size()).as("chunk %d", i).isEqualTo(cuts[i]);
      session.append(ByteBuffer.wrap(content, cuts[i], cuts[i + 1] - cuts[i]));
      session.flush();
      session.release();
    }
    Digest digest = Digest.sha256(content);
    assertThat(b.upload(APP, id).complete(digest)).isEqualTo(new BlobInfo(digest, content.length));
    assertThat(readAll(a.openBlob(APP, digest))).isEqualTo(content);
    assertCode(() -> a.upload(APP, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
  }

  @Test
  void aBlobSmallerThanOnePartIsStoredWithoutAMultipartUpload() throws IOException {
    byte[] content = randomBytes(3, 1000);
    DriverStorage storage = backend.open();
    UploadSession session = storage.startUpload(APP);
    session.append(ByteBuffer.wrap(content, 0, 10));
    session.flush();
    UploadSession next = backend.open().upload(APP, session.id());
    next.append(ByteBuffer.wrap(content, 10, content.length - 10));
    Digest digest = next.complete(Digest.sha256(content)).digest();
    assertThat(readAll(backend.open().openBlob(APP, digest))).isEqualTo(content);
    assertThat(readAll(storage.openBlob(APP, Fixtures.pushBlob(storage, APP, new byte[0])))).isEmpty();
  }

  @Test
  void aWrongDigestLeavesNoBlobAndNoUpload() {
    byte[] content = randomBytes(4, 6 * MIB);
    DriverStorage storage = backend.open();
    UploadSession session = storage.startUpload(APP);
    session.append(ByteBuffer.wrap(content));
    Digest claimed = Digest.sha256("never pushed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertCode(() -> session.complete(claimed), ErrorCode.DIGEST_INVALID);
    assertThat(storage.blob(APP, claimed)).isEmpty();
    assertThat(storage.blob(APP, Digest.sha256(content))).isEmpty();
    assertCode(() -> backend.open().upload(APP, session.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertThat(uploadFiles()).isEmpty();
  }

  @Test
  void purgeRemovesAnUploadInARepositoryThatHoldsNothingElse() {
    // a first push into a repository, killed before any blob completed: only _uploads exists there
    DriverStorage storage = backend.open();
    UploadSession stale = storage.startUpload(APP);
    stale.append(ByteBuffer.wrap(randomBytes(9, 5 * MIB + 1)));
    stale.flush();
    stale.release();
    assertThat(storage.repositories(null, 1000)).doesNotContain(APP.value());
    assertThat(storage.sweepStale(Duration.ofSeconds(-2), Duration.ofDays(1)).uploadsRemoved()).isEqualTo(1);
    assertCode(() -> storage.upload(APP, stale.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertThat(uploadFiles()).isEmpty();
    assertThat(backend.inFlight(APP)).isEqualTo(RegistryMedium.InFlight.NONE);
  }

  @Test
  void cancelRemovesTheUploadAndItsParts() {
    DriverStorage storage = backend.open();
    UploadSession session = storage.startUpload(APP);
    session.append(ByteBuffer.wrap(randomBytes(5, 5 * MIB + 3)));
    session.flush();
    backend.open().upload(APP, session.id()).cancel();
    assertCode(() -> backend.open().upload(APP, session.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertThat(uploadFiles()).isEmpty();
  }

  @Test
  void rangesOfABlobReadExactlyThoseBytes() throws IOException {
    byte[] content = randomBytes(6, 300_000);
    DriverStorage storage = backend.open();
    Digest digest = Fixtures.pushBlob(storage, APP, content);
    try (OpenBlob blob = storage.openBlob(APP, digest)) {
      assertThat(read(blob, 1000, 5000)).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
      assertThat(read(blob, content.length - 1, 1)).containsExactly(content[content.length - 1]);
    }
  }

  @Test
  void purgeRemovesUploadsOlderThanTheAge() {
    DriverStorage storage = backend.open();
    UploadSession stale = storage.startUpload(APP);
    stale.append(ByteBuffer.wrap(randomBytes(8, 5 * MIB + 1)));
    stale.flush();
    stale.release();
    Fixtures.pushBlob(storage, APP, new byte[] {1}); // the repository exists
    assertThat(storage.sweepStale(Duration.ofDays(1), Duration.ofDays(1)).uploadsRemoved()).isZero();
    // an age below zero puts the cutoff in the future: every upload is stale
    assertThat(storage.sweepStale(Duration.ofSeconds(-2), Duration.ofDays(1)).uploadsRemoved()).isEqualTo(1);
    assertCode(() -> storage.upload(APP, stale.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    assertThat(uploadFiles()).isEmpty();
  }

  /** Files left under the repository's _uploads (on s3proxy: objects), besides empty directories. */
  private java.util.List<String> uploadFiles() {
    return RegistryMedium.uploadFiles(backend.root(), APP.value());
  }

  static byte[] readAll(OpenBlob blob) throws IOException {
    try (blob) {
      return read(blob, 0, blob.info().size());
    }
  }

  static byte[] read(OpenBlob blob, long start, long length) throws IOException {
    if (blob.isFile()) {
      ByteBuffer buffer = ByteBuffer.allocate((int) length);
      long position = start;
      while (buffer.hasRemaining()) {
        int n = blob.channel().read(buffer, position);
        if (n < 0) {
          break;
        }
        position += n;
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
    try (InputStream in = blob.ranges().open(start, length)) {
      return in.readAllBytes();
    }
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
  }
}
