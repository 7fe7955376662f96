package dev.berth.registry.storage;

import java.net.URI;

/**
 * {@code storage.s3}: distribution's s3-aws parameters where the concept is the same, plus {@code storage.redirect}. Credentials null: the SDK's default chain (environment, profile, web identity for IRSA,
 * container and instance roles).
 *
 * @param endpoint     {@code regionendpoint} with its scheme; null for AWS's own endpoint of {@code region}
 * @param rootDirectory {@code rootdirectory} without leading or trailing slashes; "" for the bucket's top
 * @param chunkSize    the fixed part size of multipart uploads, at least {@link #MIN_CHUNK_SIZE}
 * @param storageClass null to send none (distribution's {@code NONE})
 * @param redirect     answer blob GETs with a presigned URL instead of streaming them
 */
public record S3Settings(String bucket, String region, URI endpoint, String rootDirectory, String accessKey,
    String secretKey, boolean forcePathStyle, boolean skipVerify, long chunkSize, String storageClass, boolean encrypt,
    boolean redirect) {
  /** S3's minimum size of every part but the last. */
  public static final long MIN_CHUNK_SIZE = 5L * 1024 * 1024;
  public static final long DEFAULT_CHUNK_SIZE = 10L * 1024 * 1024;
  /** S3's maximum part size. */
  public static final long MAX_CHUNK_SIZE = 5L * 1024 * 1024 * 1024;

  public S3Settings {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size must be between 5 MiB and 5 GiB: " + chunkSize);
    }
  }

  boolean hasStaticCredentials() {
    return accessKey != null && !accessKey.isEmpty() && secretKey != null && !secretKey.isEmpty();
  }

  /** Never prints the secret key: configs end up in logs and test reports. */
  @Override
  public String toString() {
    return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", rootDirectory="
        + rootDirectory + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null || secretKey.isEmpty() ? ""
        : "(redacted)") + ", forcePathStyle=" + forcePathStyle + ", chunkSize=" + chunkSize + ", redirect=" + redirect
        + "]";
  }

  /** For logs and errors: never the keys. */
  public String describe() {
    return "bucket '" + bucket + "'" + (endpoint != null ? " at " + endpoint : " in " + region);
  }
}
