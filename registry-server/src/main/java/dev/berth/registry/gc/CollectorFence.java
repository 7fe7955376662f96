package dev.berth.registry.gc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The collector's half of the fence for one run. {@link #announce} records the run (writers start touching), waits
 * out the writer window (a writer that saw no run commits within it), then takes the run's start time in storage time.
 * {@link #condemn} records a batch before it reads the touches, and drops everything a touch since the start (less
 * the window) names: see {@link MarkerFence} for the writer's order.
 */
final class CollectorFence implements AutoCloseable {
  private final GcStore store;
  private final FenceTiming timing;
  private final String runId;
  private final Instant start;
  private final long startNanos;
  private final Map<String, Set<String>> touchCache = new HashMap<>();
  private int batches;

  private CollectorFence(GcStore store, FenceTiming timing, String runId, Instant start) {
    this.store = store;
    this.timing = timing;
    this.runId = runId;
    this.start = start;
    this.startNanos = System.nanoTime();
  }

  static CollectorFence announce(GcStore store, FenceTiming timing, String runId) {
    store.putMarker(FenceMarkers.ACTIVE + runId, new byte[0]);
    try {
      Thread.sleep(timing.writerWindow().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.deleteMarker(FenceMarkers.ACTIVE + runId);
      throw new IllegalStateException("interrupted while starting garbage collection", e);
    }
    Instant start = store.putMarker(FenceMarkers.CLOCK + runId, new byte[0]);
    store.deleteMarker(FenceMarkers.CLOCK + runId);
    return new CollectorFence(store, timing, runId, start);
  }

  /** The run's start in storage time: every reference committed before it is visible to the mark that follows. */
  Instant start() {
    return start;
  }

  /** Past {@link FenceTiming#maxRun}: touches the run would need may be cleaned by another run, so stop sweeping. */
  boolean overRunLimit() {
    return System.nanoTime() - startNanos > timing.maxRun().toNanos();
  }

  /**
   * Records a batch of doomed items and returns the ones no writer touched; delete them through {@link Batch#mayDelete}
   * and close the batch after. Items are reduced to their fence key with {@code keyOf}.
   */
  <T> Batch<T> condemn(List<T> items, Function<T, String> keyOf) {
    long recorded = System.nanoTime();
    String key = FenceMarkers.CONDEMNED + runId + "-" + (++batches);
    Set<String> keys = new LinkedHashSet<>();
    items.forEach(item -> keys.add(keyOf.apply(item)));
    store.putMarker(key, FenceMarkers.encode(keys));
    Set<String> touched = touchedSinceStart();
    List<T> allowed = new ArrayList<>();
    List<T> spared = new ArrayList<>();
    for (T item : items) {
      (touched.contains(keyOf.apply(item)) ? spared : allowed).add(item);
    }
    // keep a margin of a writer window: a deletion that starts just before the deadline must end before it
    long deadline = recorded + timing.condemnedLease().minus(timing.writerWindow()).toNanos();
    return new Batch<>(key, allowed, spared, deadline);
  }

  private Set<String> touchedSinceStart() {
    Instant since = start.minus(timing.writerWindow()).minus(store.mtimeStep());
    Set<String> touched = new LinkedHashSet<>();
    for (GcStore.Marker touch : store.listMarkers(FenceMarkers.TOUCHES)) {
      if (touch.modified().isBefore(since)) {
        continue; // committed before the run started: the mark saw it
      }
      Set<String> keys = touchCache.get(touch.key());
      if (keys == null) {
        keys = store.readMarker(touch.key()).map(FenceMarkers::decode).orElse(Set.of());
        touchCache.put(touch.key(), keys);
      }
      touched.addAll(keys);
    }
    return touched;
  }

  /** Removes what dead runs and old writes left: touches no live run can need, batches and announcements past their time. */
  int cleanUp() {
    int removed = 0;
    removed += removeOlderThan(FenceMarkers.TOUCHES, start.minus(timing.touchRetention()), null);
    removed += removeOlderThan(FenceMarkers.CONDEMNED, start.minus(timing.condemnedLease().multipliedBy(2)), null);
    removed += removeOlderThan(FenceMarkers.ACTIVE, start.minus(timing.touchRetention()), FenceMarkers.ACTIVE + runId);
    return removed;
  }

  private int removeOlderThan(String prefix, Instant cutoff, String except) {
    int removed = 0;
    for (GcStore.Marker marker : store.listMarkers(prefix)) {
      if (marker.modified().isBefore(cutoff) && !marker.key().equals(except)) {
        store.deleteMarker(marker.key());
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void close() {
    store.deleteMarker(FenceMarkers.ACTIVE + runId);
  }

  /** One condemned batch: {@code allowed} may be deleted until the lease runs out; {@code spared} were touched. */
  final class Batch<T> implements AutoCloseable {
    private final String key;
    private final List<T> allowed;
    private final List<T> spared;
    private final long deadlineNanos;

    private Batch(String key, List<T> allowed, List<T> spared, long deadlineNanos) {
      this.key = key;
      this.allowed = allowed;
      this.spared = spared;
      this.deadlineNanos = deadlineNanos;
    }

    List<T> allowed() {
      return allowed;
    }

    List<T> spared() {
      return spared;
    }

    /** False once the lease is (nearly) over: writers waiting on this batch stop waiting then. */
    boolean mayDelete() {
      return System.nanoTime() < deadlineNanos;
    }

    @Override
    public void close() {
      store.deleteMarker(key);
    }
  }
}
