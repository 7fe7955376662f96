package dev.berth.registry.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link DriverStorage#sweepStale} in the background on one daemon thread. Start it next to the server
 * (not in read-only mode, where registry:2 does not purge either) and close it on shutdown.
 */
public final class StorageMaintenance implements AutoCloseable {
  /** registry:2's default upload purge age (168h). */
  public static final Duration UPLOAD_MAX_AGE = Duration.ofDays(7);
  /** Temp files live for milliseconds; one this old belongs to a write that crashed. */
  public static final Duration TEMP_MAX_AGE = Duration.ofHours(1);
  public static final Duration INTERVAL = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(StorageMaintenance.class);
  private final ScheduledExecutorService scheduler;

  StorageMaintenance(DriverStorage storage, Duration interval, Duration uploadMaxAge, Duration tempMaxAge) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-storage-maintenance");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        storage.sweepStale(uploadMaxAge, tempMaxAge);
      } catch (RuntimeException e) {
        // keep the schedule alive: an exception would cancel every later run
        LOG.warn("storage sweep failed; retrying in {}", interval, e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sweeps every {@link #INTERVAL}, the first time one interval after start. */
  public static StorageMaintenance start(DriverStorage storage) {
    return new StorageMaintenance(storage, INTERVAL, UPLOAD_MAX_AGE, TEMP_MAX_AGE);
  }

  /**
   * Sweeps as {@code storage.maintenance.uploadpurging} says. On a filesystem the sweep also closes idle upload files
   * and old temp files, so it runs at least every {@link #INTERVAL}, and with purging off it keeps uploads of any age.
   * On an object store there is nothing else to sweep: no purging, no sweep.
   */
  public static StorageMaintenance start(DriverStorage storage, boolean purging, Duration purgeAge,
      Duration purgeInterval) {
    Duration age = purging ? purgeAge : Duration.ofDays(365L * 1000);
    if (storage instanceof FilesystemStorage) {
      Duration interval = purgeInterval.compareTo(INTERVAL) < 0 ? purgeInterval : INTERVAL;
      return new StorageMaintenance(storage, interval, age, TEMP_MAX_AGE);
    }
    return purging ? new StorageMaintenance(storage, purgeInterval, age, TEMP_MAX_AGE) : null;
  }

  /** Stops sweeping; waits (bounded) for a sweep in progress. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("storage sweep still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
