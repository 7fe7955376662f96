package dev.berth.registry.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link FilesystemStorage#refreshListings} every interval on one daemon thread, so what another writer on the
 * same root (a registry:2 process, another replica) creates is listed within one interval plus one scan. Runs in
 * read-only mode too: a read-only server is exactly the one whose content someone else writes.
 */
public final class ListingRefresher implements AutoCloseable {
  /** {@code storage.listings.refresh} when not configured. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ListingRefresher.class);
  private final ScheduledExecutorService scheduler;

  private ListingRefresher(FilesystemStorage storage, Duration interval) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-listing-refresh");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        long started = System.nanoTime();
        storage.refreshListings();
        LOG.debug("catalog re-read in {} ms", (System.nanoTime() - started) / 1_000_000);
      } catch (RuntimeException e) {
        // keep the schedule alive: an exception would cancel every later run
        LOG.warn("catalog refresh failed; retrying in {}", interval, e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Refreshes every {@code interval}, the first time one interval after start (the first listing reads the disk). */
  public static ListingRefresher start(FilesystemStorage storage, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("refresh interval must be positive: " + interval);
    }
    return new ListingRefresher(storage, interval);
  }

  /** Stops refreshing; waits (bounded) for a refresh in progress. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("catalog refresh still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
