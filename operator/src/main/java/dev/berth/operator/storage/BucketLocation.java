package dev.berth.operator.storage;

import dev.berth.operator.spec.S3Storage;
import java.net.URI;
import java.util.Optional;

/**
 * Where a bucket is, as the server's storage.s3 keys say it, and as the operator's bucket check reaches it.
 *
 * @param bucket the bucket name
 * @param endpoint the S3-compatible endpoint; empty for AWS S3 of the region
 * @param region the (signing) region
 * @param forcePathStyle path-style addressing
 * @param skipVerify no TLS certificate verification
 */
public record BucketLocation(
    String bucket, Optional<URI> endpoint, String region, boolean forcePathStyle, boolean skipVerify) {

  public static BucketLocation of(S3Storage s3) {
    return new BucketLocation(s3.getBucket(),
        s3.hasEndpoint() ? Optional.of(URI.create(s3.getEndpoint().strip())) : Optional.empty(),
        s3.regionOrDefault(), s3.forcePathStyleOrDefault(), s3.skipVerifyOrDefault());
  }

  /** "bucket b at https://host (region r)", for messages. */
  public String describe() {
    return "bucket " + bucket + " at " + endpoint.map(URI::toString).orElse("AWS S3") + " (region " + region + ")";
  }
}
