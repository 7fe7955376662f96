package dev.berth.registry.gc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a collection every {@code interval} on one daemon thread inside the server (config {@code gc.*}); the first one
 * interval after start. Each run's report is kept in the {@code gc/last-run.json} marker.
 */
public final class GcScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GcScheduler.class);
  private final ScheduledExecutorService scheduler;

  private GcScheduler(GarbageCollector collector, GcStore store, GcOptions options, Duration interval) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-gc");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        collector.run(options, GcEvents.NONE)
            .ifPresent(report -> store.putMarker(FenceMarkers.LAST_RUN, GcReportJson.toJson(report)));
      } catch (RuntimeException e) {
        // keep the schedule alive: an exception would cancel every later run
        LOG.warn("garbage collection failed; next attempt in {}", interval, e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static GcScheduler start(GarbageCollector collector, GcStore store, GcOptions options, Duration interval) {
    return new GcScheduler(collector, store, options, interval);
  }

  /** Stops; a run in progress is interrupted at its next wait (its batches are fenced, so stopping is safe). */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("garbage collection still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
