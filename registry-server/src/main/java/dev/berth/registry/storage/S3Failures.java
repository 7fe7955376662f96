package dev.berth.registry.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place S3 failures become the storage's failures: after the SDK's own retries (with backoff) gave up, an
 * error is logged once naming the bucket and key and surfaces as UncheckedIOException, which the HTTP layer answers
 * with 500 and the spec's error body. Absent objects are not failures; callers ask {@link #isNotFound} first.
 */
final class S3Failures {
  private static final Logger LOG = LoggerFactory.getLogger(S3Failures.class);

  private S3Failures() {}

  static <T> T call(String operation, String bucket, String key, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw failure(operation, bucket, key, e);
    }
  }

  static void run(String operation, String bucket, String key, Runnable call) {
    call(operation, bucket, key, () -> {
      call.run();
      return null;
    });
  }

  static UncheckedIOException failure(String operation, String bucket, String key, SdkException e) {
    String message = "s3 " + operation + " failed: bucket=" + bucket + " key=" + key + ": " + describe(e);
    LOG.error(message);
    return new UncheckedIOException(new IOException(message, e));
  }

  static boolean isNotFound(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  /** The S3 error code and message, or the client-side cause (connection refused, unknown host). */
  static String describe(SdkException e) {
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      return s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + " " + s3.awsErrorDetails().errorMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }
}
