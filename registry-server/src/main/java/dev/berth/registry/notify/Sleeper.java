package dev.berth.registry.notify;

import java.time.Duration;

/** Waits between attempts; tests pass one that records the waits instead. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = duration -> {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }
  };

  void sleep(Duration duration) throws InterruptedException;
}
