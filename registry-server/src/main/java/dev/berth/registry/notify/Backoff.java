package dev.berth.registry.notify;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt after {@code failures} failed attempts in a row. As distribution's breaker, the
 * first {@code threshold - 1} failures retry at once; from then on the wait doubles from {@code initial} up to
 * {@code max}, with "equal jitter" (half fixed, half random) so receivers coming back are not hit by every registry
 * at the same instant.
 */
record Backoff(int threshold, Duration initial, Duration max) {

  Duration delay(int failures, DoubleSupplier random) {
    if (failures < threshold) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - threshold, 30);
    long nanos = initial.toNanos();
    long cap = max.toNanos();
    long base = nanos > (cap >> doublings) ? cap : Math.min(cap, nanos << doublings);
    long half = base / 2;
    return Duration.ofNanos(half + (long) ((base - half) * random.getAsDouble()));
  }
}
