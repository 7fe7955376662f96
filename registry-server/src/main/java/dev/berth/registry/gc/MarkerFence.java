package dev.berth.registry.gc;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.storage.NewReferences;
import dev.berth.registry.storage.ReferenceFence;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The writer's half of the fence, on {@link GcStore} markers, so it holds between processes and replicas sharing one
 * storage. When no collector is announced, the write commits at once (a collector announcing itself later waits out
 * the writer window before it looks). Otherwise the writer first records a touch naming what it references, then
 * reads the collectors' condemned batches: the collector records a batch before reading touches, so whichever reads
 * second sees the other's record. A conflicting batch is waited out (bounded by its lease) and the whole check starts
 * again, after which the commit's own existence checks see whether the blob is still there.
 */
public final class MarkerFence implements ReferenceFence {
  private static final int MAX_ATTEMPTS = 4;
  private static final long POLL_MILLIS = 20;

  private final GcStore store;
  private final FenceTiming timing;

  public MarkerFence(GcStore store, FenceTiming timing) {
    this.store = store;
    this.timing = timing;
  }

  @Override
  public <T> T referencing(NewReferences references, Supplier<T> commit) {
    Set<String> keys = references.keys();
    long halfWindow = timing.writerWindow().toNanos() / 2;
    Set<String> outlived = new HashSet<>(); // batches still there a whole lease after we saw them: their collector died
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long started = System.nanoTime();
      if (!store.listMarkers(FenceMarkers.ACTIVE).isEmpty()) {
        store.putMarker(FenceMarkers.TOUCHES + UUID.randomUUID(), FenceMarkers.encode(keys));
        List<String> conflicts = conflictingBatches(keys, outlived);
        if (!conflicts.isEmpty()) {
          outlived.addAll(waitUntilGone(conflicts));
          continue;
        }
      }
      if (System.nanoTime() - started < halfWindow) {
        return commit.get();
      }
      // too slow (a stalled disk or a long pause): the collector may already be past its look; check again
    }
    throw new RegistryException(ErrorCode.TOOMANYREQUESTS,
        "garbage collection is deleting content this request references; retry");
  }

  private List<String> conflictingBatches(Set<String> keys, Set<String> outlived) {
    return store.listMarkers(FenceMarkers.CONDEMNED).stream()
        .map(GcStore.Marker::key)
        .filter(key -> !outlived.contains(key))
        .filter(key -> store.readMarker(key).map(FenceMarkers::decode).filter(condemned -> intersects(condemned, keys))
            .isPresent())
        .toList();
  }

  /**
   * Waits until the batches are deleted, at most one lease from now: by then their collector has stopped deleting.
   * Returns those still there (left by a collector that died).
   */
  private Set<String> waitUntilGone(List<String> batches) {
    long deadline = System.nanoTime() + timing.condemnedLease().toNanos();
    Set<String> waiting = new HashSet<>(batches);
    while (System.nanoTime() < deadline) {
      waiting.removeIf(key -> store.readMarker(key).isEmpty());
      if (waiting.isEmpty()) {
        return waiting;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(ErrorCode.TOOMANYREQUESTS, "interrupted while garbage collection ran; retry");
      }
    }
    return waiting;
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    for (String key : b) {
      if (a.contains(key)) {
        return true;
      }
    }
    return false;
  }
}
