package dev.berth.operator;

import dev.berth.operator.storage.BucketCheck;
import dev.berth.operator.storage.BucketLocation;
import dev.berth.operator.storage.S3Credentials;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A bucket check whose answer the test sets, remembering what it was asked. */
public final class ScriptedBucketCheck implements BucketCheck {
  private final AtomicReference<Result> answer = new AtomicReference<>(Result.reachable());
  private final AtomicReference<BucketLocation> lastLocation = new AtomicReference<>();
  private final AtomicReference<S3Credentials> lastCredentials = new AtomicReference<>();
  private final AtomicInteger calls = new AtomicInteger();

  public void answer(Result result) {
    answer.set(result);
  }

  public BucketLocation lastLocation() {
    return lastLocation.get();
  }

  public S3Credentials lastCredentials() {
    return lastCredentials.get();
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public Result check(BucketLocation location, S3Credentials credentials) {
    lastLocation.set(location);
    lastCredentials.set(credentials);
    calls.incrementAndGet();
    return answer.get();
  }
}
