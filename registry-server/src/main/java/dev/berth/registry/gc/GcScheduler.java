package dev.berth.registry.gc;

import dev.berth.registry.metrics.RegistryMetrics;
import java.time.Clock;
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

  private GcScheduler(GarbageCollector collector, GcStore store, GcOptions options, Duration interval,
      RegistryMetrics metrics, Clock clock) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-gc");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      long start = System.nanoTime();
      try {
        collector.run(options, GcEvents.NONE).ifPresent(report -> {
          store.putMarker(FenceMarkers.LAST_RUN, GcReportJson.toJson(report));
          metrics.gcRun(measured(report, System.nanoTime() - start));
        });
      } catch (RuntimeException e) {
        metrics.gcRun(new RegistryMetrics.GcRun(options.dryRun(), e.toString(), System.nanoTime() - start,
            clock.instant(), 0, 0, 0, 0, 0, 0));
        // keep the schedule alive: an exception would cancel every later run
        LOG.warn("garbage collection failed; next attempt in {}", interval, e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static GcScheduler start(GarbageCollector collector, GcStore store, GcOptions options, Duration interval) {
    return start(collector, store, options, interval, RegistryMetrics.NONE, Clock.systemUTC());
  }

  /** As above, reporting each run to {@code metrics}. */
  public static GcScheduler start(GarbageCollector collector, GcStore store, GcOptions options, Duration interval,
      RegistryMetrics metrics, Clock clock) {
    return new GcScheduler(collector, store, options, interval, metrics, clock);
  }

  static RegistryMetrics.GcRun measured(GcReport report, long nanos) {
    return new RegistryMetrics.GcRun(report.dryRun(), report.error(), nanos, report.finished(), report.bytesFreed(),
        report.blobsDeleted(), report.manifestsDeleted(), report.tagsDeleted(), report.layerLinksDeleted(),
        report.uploadsDeleted());
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
