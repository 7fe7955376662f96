package dev.berth.registry.notify;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of one endpoint's events, for logs, tests and (later) metrics: delivered, dropped because the queue was full,
 * and failed (dropped after the last retry).
 */
public final class NotificationStats {
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong attemptsFailed = new AtomicLong();

  public long delivered() {
    return delivered.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  /** POSTs that failed (each retried or, after the last retry, counted in {@link #failed()}). */
  public long attemptsFailed() {
    return attemptsFailed.get();
  }

  void delivered(int events) {
    delivered.addAndGet(events);
  }

  long dropped(int events) {
    return dropped.addAndGet(events);
  }

  void failed(int events) {
    failed.addAndGet(events);
  }

  void attemptFailed() {
    attemptsFailed.incrementAndGet();
  }
}
