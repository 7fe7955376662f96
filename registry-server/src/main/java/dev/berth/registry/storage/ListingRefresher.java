package dev.berth.registry.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link DriverStorage#refreshListings} every interval on one daemon thread, so what another writer on the
 * same root (a registry:2 process, another replica) creates is listed within one interval plus one scan (for a
 * catalog whose scan takes over a quarter of the interval, four scans plus one). Runs in
 * read-only mode too: a read-only server is exactly the one whose content someone else writes.
 */
public final class ListingRefresher implements AutoCloseable {
  /** {@code storage.listings.refresh} when not configured. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** At most one part in this many of the time is spent re-reading the catalog. */
  static final int MAX_DUTY = 4;

  private static final Logger LOG = LoggerFactory.getLogger(ListingRefresher.class);
  private final ScheduledExecutorService scheduler;

  private final DriverStorage storage;
  private final Duration interval;

  private ListingRefresher(DriverStorage storage, Duration interval) {
    this.storage = storage;
    this.interval = interval;
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-listing-refresh");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.schedule(this::refresh, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    long started = System.nanoTime();
    try {
      storage.refreshListings();
    } catch (RuntimeException e) {
      // keep the schedule alive: an exception would end every later run
      LOG.warn("catalog refresh failed; retrying in {}", interval, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.debug("catalog re-read in {} ms", took.toMillis());
    try {
      scheduler.schedule(this::refresh, nextDelay(interval, took).toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() ran meanwhile
    }
  }

  /**
   * The interval, or {@link #MAX_DUTY} times the last scan when that is longer: a catalog so large that one re-read
   * takes a good part of the interval must not keep a core busy walking directories.
   */
  static Duration nextDelay(Duration interval, Duration lastScan) {
    Duration floor = lastScan.multipliedBy(MAX_DUTY);
    return floor.compareTo(interval) > 0 ? floor : interval;
  }

  /** Refreshes every {@code interval}, the first time one interval after start (the first listing reads the disk). */
  public static ListingRefresher start(DriverStorage storage, Duration interval) {
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
