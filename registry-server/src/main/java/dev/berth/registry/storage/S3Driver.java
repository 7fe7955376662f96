package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * {@link StorageDriver} on an S3 bucket, with distribution's keys: a layout path {@code /<root>/docker/registry/v2/...}
 * is the key {@code <root>/docker/registry/v2/...} (distribution's {@code s3Path}: rootdirectory plus path, leading
 * slash trimmed), so a bucket written by registry:2 is read as it is. Directories are key prefixes. A PUT is atomic in
 * S3, so every small write is one PutObject; S3 has been strongly read-after-write consistent, listings included,
 * since 2020, so what one replica wrote is what the next request on another replica reads.
 */
final class S3Driver implements StorageDriver {
  private static final int DELETE_BATCH = 1000;

  /** A signed range GET is sent at once; this only bounds a URL that leaks into a log. */
  static final Duration PRESIGNED_READ_VALIDITY = Duration.ofMinutes(5);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Settings settings;

  S3Driver(S3Client s3, S3Presigner presigner, S3Settings settings) {
    this.s3 = s3;
    this.presigner = presigner;
    this.settings = settings;
  }

  /** The layout root for {@code rootdirectory}: keys are paths below "/". */
  static Path layoutRoot(String rootDirectory) {
    return Path.of("/" + rootDirectory);
  }

  String key(Path path) {
    String text = path.toString();
    return text.startsWith("/") ? text.substring(1) : text;
  }

  String bucket() {
    return settings.bucket();
  }

  S3Client client() {
    return s3;
  }

  @Override
  public Optional<byte[]> read(Path path, int maxBytes) throws TooLargeException {
    String key = key(path);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(bucket()).key(key));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Failures.failure("GetObject", bucket(), key, e);
    }
    try (in) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        in.abort();
        throw new TooLargeException(key + " holds " + length + " bytes, more than " + maxBytes);
      }
      return Optional.of(in.readAllBytes());
    } catch (TooLargeException e) {
      throw e;
    } catch (java.io.IOException | SdkException e) {
      throw S3Failures.failure("GetObject", bucket(), key,
          e instanceof SdkException sdk ? sdk : SdkException.create("read failed", e));
    }
  }

  @Override
  public void write(Path path, byte[] content) {
    String key = key(path);
    S3Failures.run("PutObject", bucket(), key,
        () -> s3.putObject(put(key).build(), RequestBody.fromBytes(content)));
  }

  /** A PutObject for {@code key} with the configured storage class and encryption. */
  PutObjectRequest.Builder put(String key) {
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket()).key(key);
    if (settings.storageClass() != null) {
      put.storageClass(settings.storageClass());
    }
    if (settings.encrypt()) {
      put.serverSideEncryption("AES256");
    }
    return put;
  }

  @Override
  public OptionalLong size(Path path) {
    String key = key(path);
    try {
      return OptionalLong.of(s3.headObject(b -> b.bucket(bucket()).key(key)).contentLength());
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return OptionalLong.empty();
      }
      throw S3Failures.failure("HeadObject", bucket(), key, e);
    }
  }

  @Override
  public boolean isDirectory(Path dir) {
    String prefix = key(dir) + "/";
    ListObjectsV2Response page = S3Failures.call("ListObjectsV2", bucket(), prefix,
        () -> s3.listObjectsV2(b -> b.bucket(bucket()).prefix(prefix).maxKeys(1)));
    return !page.contents().isEmpty();
  }

  @Override
  public List<String> children(Path dir) {
    String prefix = key(dir) + "/";
    List<String> names = new ArrayList<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket()).prefix(prefix).delimiter("/").build();
    S3Failures.run("ListObjectsV2", bucket(), prefix, () -> {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
        for (CommonPrefix common : page.commonPrefixes()) {
          String name = common.prefix().substring(prefix.length());
          names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        }
        for (S3Object object : page.contents()) {
          names.add(object.key().substring(prefix.length()));
        }
      }
    });
    return names;
  }

  /** Every key below {@code dir}, for sweeps and deletes. */
  List<S3Object> objectsBelow(Path dir) {
    String prefix = key(dir) + "/";
    List<S3Object> objects = new ArrayList<>();
    S3Failures.run("ListObjectsV2", bucket(), prefix, () -> {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix))) {
        objects.addAll(page.contents());
      }
    });
    return objects;
  }

  @Override
  public Optional<FileTime> directoryVersion(Path dir) {
    // a prefix has no mtime: a constant makes the tag-list cache expire by age (storage.listings.refresh) only
    return isDirectory(dir) ? Optional.of(FileTime.fromMillis(0)) : Optional.empty();
  }

  @Override
  public void deleteTree(Path path) {
    String key = key(path);
    List<String> keys = new ArrayList<>();
    keys.add(key);
    objectsBelow(path).forEach(object -> keys.add(object.key()));
    deleteKeys(keys);
  }

  void deleteKeys(List<String> keys) {
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
          .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
      S3Failures.run("DeleteObjects", bucket(), batch.get(0).key(),
          () -> s3.deleteObjects(b -> b.bucket(bucket()).delete(d -> d.objects(batch).quiet(true))));
    }
  }

  @Override
  public OpenBlob open(Digest digest, Path data) throws NoSuchFileException {
    OptionalLong size = size(data);
    if (size.isEmpty()) {
      throw new NoSuchFileException(key(data));
    }
    String key = key(data);
    return OpenBlob.ofRanges(new BlobInfo(digest, size.getAsLong()), new OpenBlob.RangeReader() {
      @Override
      public InputStream open(long start, long length) {
        return openRange(key, start, length);
      }

      @Override
      public Optional<PresignedRead> presign(long start, long length) {
        return Optional.of(presignRange(key, start, length));
      }
    });
  }

  /** A ranged GetObject of {@code key}, signed with this driver's credentials for a client other than the SDK. */
  PresignedRead presignRange(String key, long start, long length) {
    String range = range(start, length);
    PresignedGetObjectRequest signed = S3Failures.call("presign GetObject", bucket(), key,
        () -> presigner.presignGetObject(p -> p.signatureDuration(PRESIGNED_READ_VALIDITY)
            .getObjectRequest(g -> g.bucket(bucket()).key(key).range(range))));
    try {
      return new PresignedRead(signed.url().toURI(), signed.signedHeaders(), settings.skipVerify());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("the SDK presigned an invalid URL for " + key, e);
    }
  }

  private static String range(long start, long length) {
    return "bytes=" + start + "-" + (start + length - 1);
  }

  /** The bytes [start, start + length) of {@code key}, streamed from S3 (a ranged GetObject, S3's 206). */
  InputStream openRange(String key, long start, long length) {
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    String range = range(start, length);
    return S3Failures.call("GetObject", bucket(), key, () -> s3.getObject(b -> b.bucket(bucket()).key(key).range(range)));
  }

  /** LastModified counts whole seconds. */
  @Override
  public Duration mtimeStep() {
    return Duration.ofSeconds(1);
  }

  @Override
  public Optional<StoredFile> stat(Path path) {
    String key = key(path);
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket()).key(key));
      return Optional.of(new StoredFile(path, head.contentLength(), head.lastModified()));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Failures.failure("HeadObject", bucket(), key, e);
    }
  }

  @Override
  public List<StoredFile> files(Path dir) {
    String prefix = key(dir) + "/";
    List<StoredFile> files = new ArrayList<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket()).prefix(prefix).delimiter("/").build();
    S3Failures.run("ListObjectsV2", bucket(), prefix, () -> {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
        page.contents().forEach(object -> files.add(stored(object)));
      }
    });
    return files;
  }

  @Override
  public void forEachFileBelow(Path dir, Consumer<StoredFile> action) {
    String prefix = key(dir) + "/";
    S3Failures.run("ListObjectsV2", bucket(), prefix, () -> {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix))) {
        page.contents().forEach(object -> action.accept(stored(object)));
      }
    });
  }

  private static StoredFile stored(S3Object object) {
    return new StoredFile(Path.of("/" + object.key()), object.size(), object.lastModified());
  }

  /** Prefixes are not objects: what empties a "directory" removes it. */
  @Override
  public void deleteFiles(List<Path> files) {
    deleteKeys(files.stream().map(this::key).toList());
  }

  /** Multipart uploads are invisible to listings: they are found by ListMultipartUploads and aborted (S3 bills parts). */
  @Override
  public void discardUpload(Path uploadDir) {
    String prefix = key(uploadDir) + "/";
    List<MultipartUpload> running = new ArrayList<>();
    S3Failures.run("ListMultipartUploads", bucket(), prefix, () -> {
      for (ListMultipartUploadsResponse page : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket()).prefix(prefix))) {
        running.addAll(page.uploads());
      }
    });
    for (MultipartUpload upload : running) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket()).key(upload.key()).uploadId(upload.uploadId()));
      } catch (SdkException e) {
        if (!S3Failures.isNotFound(e)) {
          throw S3Failures.failure("AbortMultipartUpload", bucket(), upload.key(), e);
        }
      }
    }
    deleteTree(uploadDir);
  }

  @Override
  public boolean createIfAbsent(Path path, byte[] content) {
    String key = key(path);
    try {
      s3.putObject(put(key).ifNoneMatch("*").build(), RequestBody.fromBytes(content));
      return true;
    } catch (SdkException e) {
      // 412: the key exists; 409: a concurrent conditional write to it is under way, which also wins over us
      if (e instanceof S3Exception s3e
          && (s3e.statusCode() == 412 || s3e.statusCode() == 409)) {
        return false;
      }
      throw S3Failures.failure("PutObject If-None-Match", bucket(), key, e);
    }
  }

  @Override
  public boolean isWritable(Path dir) {
    try {
      s3.headBucket(b -> b.bucket(bucket()));
      return true;
    } catch (SdkException e) {
      return false;
    }
  }
}
