package dev.berth.operator.storage;

import java.util.Optional;

/**
 * Whether the operator can reach a bucket with the credentials the pods will use: S3's HeadBucket. An interface so
 * the reconciler's tests decide the answer without an S3 server; {@link SdkBucketCheck} asks the real one.
 */
public interface BucketCheck {

  /**
   * Asks the bucket; never throws for what S3 or the network answer, and returns within a bounded time.
   *
   * @param credentials the access key pair; always given (the operator never checks with its own identity, which
   *     is not the pods')
   */
  Result check(BucketLocation location, S3Credentials credentials);

  /** What the check found. */
  enum Outcome {
    REACHABLE("BucketReachable"),
    NO_SUCH_BUCKET("BucketNotFound"),
    ACCESS_DENIED("AccessDenied"),
    UNREACHABLE("EndpointUnreachable"),
    FAILED("BucketCheckFailed");

    private final String reason;

    Outcome(String reason) {
      this.reason = reason;
    }

    /** The StorageReady condition's reason. */
    public String reason() {
      return reason;
    }
  }

  /**
   * The answer.
   *
   * @param outcome what it means
   * @param error the S3 or network error as the SDK gave it; empty when reachable
   */
  record Result(Outcome outcome, Optional<String> error) {
    public static Result reachable() {
      return new Result(Outcome.REACHABLE, Optional.empty());
    }

    public static Result failed(Outcome outcome, String error) {
      return new Result(outcome, Optional.of(error));
    }

    public boolean ok() {
      return outcome == Outcome.REACHABLE;
    }
  }
}
