package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Uploads on S3. Nothing of an upload lives in process memory between requests: each request reads the upload's
 * state object ({@link S3UploadState}) and writes it back before it is acknowledged, so any replica serves the next
 * chunk. Objects of upload {@code <id>} under {@code _uploads/<id>/}: {@code startedat} (registry:2's), {@code
 * berth-state.json}, {@code data} (the multipart upload's key) and {@code berth-tail-<offset>} (the side object).
 */
final class S3Uploads implements UploadArea {
  static final String STATE = "berth-state.json";
  private static final Logger LOG = LoggerFactory.getLogger(S3Uploads.class);

  private final StorageLayout layout;
  private final S3Driver driver;
  private final BlobStore blobs;
  private final Clock clock;
  private final S3Settings settings;
  private final long partSize;
  private final Consumer<RepositoryName> linked;

  S3Uploads(StorageLayout layout, S3Driver driver, BlobStore blobs, Clock clock, S3Settings settings,
      Consumer<RepositoryName> linked) {
    this.settings = settings;
    this.layout = layout;
    this.driver = driver;
    this.blobs = blobs;
    this.clock = clock;
    this.partSize = settings.chunkSize();
    this.linked = linked;
  }

  @Override
  public UploadSession start(RepositoryName repo) {
    UploadId id = UploadId.random();
    String startedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    driver.write(layout.uploadStartedAt(repo, id), startedAt.getBytes(StandardCharsets.US_ASCII));
    S3UploadState state = new S3UploadState(null, partSize, List.of(), 0, null, encode(ResumableSha256.start()), startedAt);
    writeState(repo, id, state);
    return new S3UploadSession(this, repo, id, state);
  }

  @Override
  public UploadSession find(RepositoryName repo, String uploadId) {
    UploadId id;
    try {
      id = new UploadId(uploadId);
    } catch (IllegalArgumentException | RegistryException e) {
      throw unknown(repo, uploadId);
    }
    S3UploadState state = readState(repo, id).orElseThrow(() -> unknown(repo, uploadId));
    return new S3UploadSession(this, repo, id, state);
  }

  private Optional<S3UploadState> readState(RepositoryName repo, UploadId id) {
    String key = stateKey(repo, id);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = driver.client().getObject(b -> b.bucket(driver.bucket()).key(key));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Failures.failure("GetObject", driver.bucket(), key, e);
    }
    try (in) {
      return Optional.of(S3UploadState.fromJson(in.readAllBytes()));
    } catch (java.io.IOException e) {
      throw S3Failures.failure("GetObject", driver.bucket(), key, SdkException.create("read failed", e));
    }
  }

  /**
   * Writes {@code next} over {@code previous}, so of two replicas continuing one upload from the same state the second
   * is told to resume (416 with the stored offset) instead of writing over the first. The check compares the stored
   * state's content right before the write rather than asking for a conditional PUT: S3-compatible stores differ in
   * If-Match support (a filesystem-backed one refused matching ETags now and then), and a client sends one request
   * at a time to an upload, so the window between the read and the write only matters for a misbehaving client,
   * whose blob the final digest check still refuses.
   */
  void writeState(RepositoryName repo, UploadId id, S3UploadState next, S3UploadState previous) {
    Optional<S3UploadState> current = readState(repo, id);
    if (current.isEmpty() || !current.get().equals(previous)) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
          "upload " + id.value() + " was continued by another request meanwhile; resume from its current offset",
          null, 416);
    }
    putState(repo, id, next);
  }

  /** The state's first write: nothing to compare. */
  void writeState(RepositoryName repo, UploadId id, S3UploadState state) {
    putState(repo, id, state);
  }

  private void putState(RepositoryName repo, UploadId id, S3UploadState state) {
    String key = stateKey(repo, id);
    PutObjectRequest put = driver.put(key).contentType("application/json").build();
    S3Failures.run("PutObject", driver.bucket(), key,
        () -> driver.client().putObject(put, RequestBody.fromBytes(state.toJson())));
  }

  /** Links a verified blob into the repository and removes the upload's objects. */
  void publish(S3UploadSession session, Digest digest) {
    LinkFile.write(driver, layout.layerLink(session.repository(), digest), digest);
    linked.accept(session.repository());
    discard(session.repository(), new UploadId(session.id()), Optional.empty());
  }

  /** Aborts the multipart upload (if any) and deletes every object of the upload. */
  void discard(RepositoryName repo, UploadId id, Optional<String> multipartId) {
    multipartId.ifPresent(mpu -> abort(dataKey(repo, id), mpu));
    driver.deleteTree(layout.uploadDir(repo, id));
  }

  void abort(String key, String multipartId) {
    try {
      driver.client().abortMultipartUpload(b -> b.bucket(driver.bucket()).key(key).uploadId(multipartId));
    } catch (SdkException e) {
      if (!S3Failures.isNotFound(e)) {
        throw S3Failures.failure("AbortMultipartUpload", driver.bucket(), key, e);
      }
    }
  }

  /**
   * Removes uploads that started before {@code cutoff}: their objects (found through each repository's
   * {@code _uploads/}) and every multipart upload under the repositories begun before it, including registry:2's and
   * those whose state object is gone (incomplete multipart uploads are invisible to listings). Returns how many
   * uploads were removed.
   */
  int purge(Iterable<String> repositories, Instant cutoff) {
    int removed = 0;
    for (String name : repositories) {
      RepositoryName repo = RepositoryName.parse(name);
      Path uploads = layout.uploadsDir(repo);
      for (String child : driver.children(uploads)) {
        UploadId id;
        try {
          id = new UploadId(child);
        } catch (RuntimeException e) {
          continue;
        }
        Instant started = startedAt(repo, id);
        if (started != null && started.isBefore(cutoff)) {
          driver.deleteTree(layout.uploadDir(repo, id));
          removed++;
        }
      }
    }
    String prefix = driver.key(layout.repositoriesRoot()) + "/";
    List<MultipartUpload> stale = new ArrayList<>();
    S3Failures.run("ListMultipartUploads", driver.bucket(), prefix, () -> {
      for (ListMultipartUploadsResponse page : driver.client().listMultipartUploadsPaginator(
          b -> b.bucket(driver.bucket()).prefix(prefix))) {
        page.uploads().stream().filter(u -> u.initiated() != null && u.initiated().isBefore(cutoff)).forEach(stale::add);
      }
    });
    for (MultipartUpload upload : stale) {
      abort(upload.key(), upload.uploadId());
    }
    if (removed > 0 || !stale.isEmpty()) {
      LOG.info("purged {} stale uploads and {} multipart uploads started before {}", removed, stale.size(), cutoff);
    }
    return removed;
  }

  private Instant startedAt(RepositoryName repo, UploadId id) {
    try {
      return driver.read(layout.uploadStartedAt(repo, id), 64)
          .map(bytes -> Instant.parse(new String(bytes, StandardCharsets.US_ASCII).trim())).orElse(null);
    } catch (StorageDriver.TooLargeException | RuntimeException e) {
      return null;
    }
  }

  String stateKey(RepositoryName repo, UploadId id) {
    return driver.key(layout.uploadDir(repo, id).resolve(STATE));
  }

  String dataKey(RepositoryName repo, UploadId id) {
    return driver.key(layout.uploadData(repo, id));
  }

  String tailKey(RepositoryName repo, UploadId id, long offset) {
    return driver.key(layout.uploadDir(repo, id).resolve("berth-tail-" + offset));
  }

  String blobKey(Digest digest) {
    return driver.key(layout.blobData(digest));
  }

  S3Settings settings() {
    return settings;
  }

  S3Driver driver() {
    return driver;
  }

  BlobStore blobs() {
    return blobs;
  }

  static String encode(ResumableSha256 digest) {
    return Base64.getEncoder().encodeToString(digest.encodedState());
  }

  static ResumableSha256 decode(String state) {
    return ResumableSha256.resume(Base64.getDecoder().decode(state));
  }

  private static RegistryException unknown(RepositoryName repo, String id) {
    return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "unknown upload " + id + " in " + repo);
  }
}
