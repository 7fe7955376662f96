package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * One request's view of an S3 upload. Bytes are hashed as they arrive (BouncyCastle's SHA-256, whose state is saved
 * with the upload) and gathered in a buffer of at most one part: a full buffer becomes the next part of the S3
 * multipart upload at once, and what is left at the end of a request (less than a part) is written as a side object
 * that the next request, on whichever replica, reads back. So a PATCH never completes or restarts the multipart
 * upload, the most one upload holds in memory is one part, and completing needs no second read of the bytes.
 * Completing verifies the digest first; only then is the blob assembled and copied under its digest.
 */
final class S3UploadSession implements UploadSession {
  /** S3's limit of parts in one multipart upload. */
  private static final int MAX_PARTS = 10_000;
  private static final int FIRST_BUFFER = 1 << 20;

  private final S3Uploads uploads;
  private final RepositoryName repository;
  private final UploadId id;
  private S3UploadState state;
  private final ResumableSha256 sha256;
  private final List<S3UploadState.Part> parts;
  private String multipartId;
  private long offset;
  /** Bytes [parts * partSize, offset): the tail, loaded from its side object on first use. */
  private byte[] buffer;
  private int buffered;
  private boolean tailLoaded;
  private boolean dirty;
  private boolean finished;

  S3UploadSession(S3Uploads uploads, RepositoryName repository, UploadId id, S3UploadState state) {
    this.uploads = uploads;
    this.repository = repository;
    this.id = id;
    this.state = state;
    this.sha256 = S3Uploads.decode(state.sha256());
    this.parts = new ArrayList<>(state.parts());
    this.multipartId = state.multipartId();
    this.offset = state.offset();
    this.tailLoaded = state.tailKey() == null;
    this.buffer = new byte[0];
  }

  @Override
  public String id() {
    return id.value();
  }

  @Override
  public RepositoryName repository() {
    return repository;
  }

  @Override
  public synchronized long size() {
    return offset;
  }

  @Override
  public synchronized void append(ByteBuffer data) {
    ensureLive();
    loadTail();
    long partSize = state.partSize();
    while (data.hasRemaining()) {
      int room = (int) (partSize - buffered);
      int n = Math.min(room, data.remaining());
      ensureCapacity(buffered + n);
      data.get(buffer, buffered, n);
      sha256.update(buffer, buffered, n);
      buffered += n;
      offset += n;
      dirty = true;
      if (buffered == partSize) {
        uploadPart();
      }
    }
  }

  @Override
  public synchronized void flush() {
    ensureLive();
    persist();
  }

  @Override
  public synchronized BlobInfo complete(Digest expected) {
    ensureLive();
    loadTail();
    Digest actual = expected.algorithm().equals("sha256") ? sha256Digest() : null;
    if (actual != null && !actual.equals(expected)) {
      discard();
      throw digestInvalid(actual, expected);
    }
    BlobStore blobs = uploads.blobs();
    String blobKey = uploads.blobKey(expected);
    if (multipartId == null) {
      byte[] content = Arrays.copyOf(buffer, buffered);
      if (actual == null) {
        actual = Digest.of(expected.algorithm(), content);
        if (!actual.equals(expected)) {
          discard();
          throw digestInvalid(actual, expected);
        }
      }
      if (!blobs.exists(expected)) {
        S3Driver driver = uploads.driver();
        S3Failures.run("PutObject", driver.bucket(), blobKey,
            () -> driver.client().putObject(driver.put(blobKey).build(), RequestBody.fromBytes(content)));
      }
    } else {
      if (buffered > 0) {
        uploadPart();
      }
      String dataKey = uploads.dataKey(repository, id);
      completeMultipart(dataKey);
      multipartId = null; // completed: nothing left to abort
      if (actual == null) {
        actual = rehash(expected, dataKey);
        if (!actual.equals(expected)) {
          discard();
          throw digestInvalid(actual, expected);
        }
      }
      if (!blobs.exists(expected)) {
        copy(dataKey, blobKey);
      }
    }
    uploads.publish(this, expected);
    finished = true;
    return new BlobInfo(expected, offset);
  }

  @Override
  public synchronized void cancel() {
    ensureLive();
    discard();
  }

  /** The end of a request: what arrived is saved so the client (through any replica) can resume from it. */
  @Override
  public synchronized void release() {
    if (!finished) {
      persist();
    }
  }

  private void persist() {
    if (!dirty) {
      return;
    }
    String oldTail = state.tailKey();
    String tailKey = null;
    if (buffered > 0) {
      tailKey = uploads.tailKey(repository, id, offset);
      String key = tailKey;
      S3Driver driver = uploads.driver();
      byte[] tail = Arrays.copyOf(buffer, buffered);
      S3Failures.run("PutObject", driver.bucket(), key,
          () -> driver.client().putObject(driver.put(key).build(), RequestBody.fromBytes(tail)));
    }
    S3UploadState next = new S3UploadState(multipartId, state.partSize(), List.copyOf(parts), offset, tailKey,
        S3Uploads.encode(sha256), state.startedAt());
    // the state names the new tail only once the tail is stored; the old tail is garbage after the state write
    uploads.writeState(repository, id, next, state);
    state = next;
    dirty = false;
    if (oldTail != null && !oldTail.equals(tailKey)) {
      try {
        uploads.driver().deleteKeys(List.of(oldTail));
      } catch (RuntimeException ignored) {
        // an orphan side object goes with the upload's directory
      }
    }
  }

  private void loadTail() {
    if (tailLoaded) {
      return;
    }
    long tailSize = state.tailSize();
    S3Driver driver = uploads.driver();
    String key = state.tailKey();
    byte[] tail;
    try (InputStream in = driver.openRange(key, 0, tailSize)) {
      tail = in.readAllBytes();
    } catch (IOException e) {
      throw S3Failures.failure("GetObject", driver.bucket(), key, SdkException.create("read failed", e));
    }
    if (tail.length != tailSize) {
      throw S3Failures.failure("GetObject", driver.bucket(), key,
          SdkException.create("side object has " + tail.length + " bytes, the state says " + tailSize, null));
    }
    ensureCapacity(tail.length);
    System.arraycopy(tail, 0, buffer, 0, tail.length);
    buffered = tail.length;
    tailLoaded = true;
  }

  private void uploadPart() {
    if (parts.size() >= MAX_PARTS) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
          "upload " + id + " exceeds " + MAX_PARTS + " parts of " + state.partSize() + " bytes");
    }
    S3Driver driver = uploads.driver();
    String key = uploads.dataKey(repository, id);
    if (multipartId == null) {
      CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
          .bucket(driver.bucket()).key(key);
      S3Settings settings = uploads.settings();
      if (settings.storageClass() != null) {
        create.storageClass(settings.storageClass());
      }
      if (settings.encrypt()) {
        create.serverSideEncryption("AES256");
      }
      multipartId = S3Failures.call("CreateMultipartUpload", driver.bucket(), key,
          () -> driver.client().createMultipartUpload(create.build()).uploadId());
    }
    int number = parts.size() + 1;
    int size = buffered;
    String mpu = multipartId;
    String etag = S3Failures.call("UploadPart", driver.bucket(), key, () -> driver.client().uploadPart(
        b -> b.bucket(driver.bucket()).key(key).uploadId(mpu).partNumber(number).contentLength((long) size),
        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, size), size)).eTag());
    parts.add(new S3UploadState.Part(number, etag, size));
    buffered = 0;
  }

  private void completeMultipart(String key) {
    S3Driver driver = uploads.driver();
    List<CompletedPart> completed = parts.stream()
        .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
    String mpu = multipartId;
    S3Failures.run("CompleteMultipartUpload", driver.bucket(), key, () -> driver.client().completeMultipartUpload(
        b -> b.bucket(driver.bucket()).key(key).uploadId(mpu).multipartUpload(m -> m.parts(completed))));
  }

  /** Server-side copy into the blob store: one CopyObject up to 5 GiB, else a multipart copy of fixed ranges. */
  private void copy(String from, String to) {
    S3Driver driver = uploads.driver();
    S3Settings settings = uploads.settings();
    if (offset <= S3Settings.MAX_CHUNK_SIZE) {
      CopyObjectRequest.Builder copy = CopyObjectRequest.builder().sourceBucket(driver.bucket()).sourceKey(from)
          .destinationBucket(driver.bucket()).destinationKey(to);
      if (settings.storageClass() != null) {
        copy.storageClass(settings.storageClass());
      }
      if (settings.encrypt()) {
        copy.serverSideEncryption("AES256");
      }
      S3Failures.run("CopyObject", driver.bucket(), to, () -> driver.client().copyObject(copy.build()));
      return;
    }
    long range = 1L << 30;
    String mpu = S3Failures.call("CreateMultipartUpload", driver.bucket(), to,
        () -> driver.client().createMultipartUpload(b -> b.bucket(driver.bucket()).key(to)).uploadId());
    List<CompletedPart> completed = new ArrayList<>();
    try {
      for (long start = 0; start < offset; start += range) {
        int number = completed.size() + 1;
        String bytes = "bytes=" + start + "-" + (Math.min(offset, start + range) - 1);
        String etag = S3Failures.call("UploadPartCopy", driver.bucket(), to, () -> driver.client().uploadPartCopy(
            b -> b.sourceBucket(driver.bucket()).sourceKey(from).destinationBucket(driver.bucket())
                .destinationKey(to).uploadId(mpu).partNumber(number).copySourceRange(bytes))
            .copyPartResult().eTag());
        completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      S3Failures.run("CompleteMultipartUpload", driver.bucket(), to, () -> driver.client().completeMultipartUpload(
          b -> b.bucket(driver.bucket()).key(to).uploadId(mpu).multipartUpload(m -> m.parts(completed))));
    } catch (RuntimeException e) {
      uploads.abort(to, mpu);
      throw e;
    }
  }

  private Digest rehash(Digest expected, String key) {
    MessageDigest hasher = expected.newHasher();
    byte[] chunk = new byte[1 << 20];
    try (InputStream in = uploads.driver().openRange(key, 0, offset)) {
      for (int n; (n = in.read(chunk)) > 0; ) {
        hasher.update(chunk, 0, n);
      }
    } catch (IOException e) {
      throw S3Failures.failure("GetObject", uploads.driver().bucket(), key, SdkException.create("read failed", e));
    }
    return new Digest(expected.algorithm(), HexFormat.of().formatHex(hasher.digest()));
  }

  private Digest sha256Digest() {
    return new Digest("sha256", HexFormat.of().formatHex(sha256.digestSoFar()));
  }

  private void discard() {
    finished = true;
    uploads.discard(repository, id, Optional.ofNullable(multipartId));
  }

  private void ensureCapacity(int needed) {
    if (buffer.length < needed) {
      int grown = (int) Math.min(state.partSize(), Math.max(needed, Math.max(FIRST_BUFFER, buffer.length * 2L)));
      buffer = Arrays.copyOf(buffer, grown);
    }
  }

  private void ensureLive() {
    if (finished) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is unknown or finished");
    }
  }

  private static RegistryException digestInvalid(Digest actual, Digest expected) {
    return new RegistryException(ErrorCode.DIGEST_INVALID,
        "uploaded content has digest " + actual + ", not " + expected, Map.of("digest", expected.toString()));
  }
}
