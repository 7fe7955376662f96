package dev.berth.registry.tls;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reload check every interval on its own daemon thread until closed, so that no request waits for a mounted
 * file to be re-read. A check that throws is logged and tried again at the next tick.
 */
public final class PeriodicCheck implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicCheck.class);
  /** Mounted Secrets change at most every few seconds; checking more often than this only costs. */
  private static final long MIN_MILLIS = 100;

  private final ScheduledExecutorService scheduler;

  private PeriodicCheck(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts running {@code check} every {@code interval} (at least 100 ms) on a daemon thread named {@code name}. */
  public static PeriodicCheck start(String name, Duration interval, Runnable check) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    long millis = Math.max(MIN_MILLIS, interval.toMillis());
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        check.run();
      } catch (RuntimeException e) {
        LOG.error("{}: reload check failed; keeping what is in service", name, e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
    return new PeriodicCheck(scheduler);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
