package dev.berth.registry.gc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One collector at a time per storage: a marker created only when absent (S3: If-None-Match), refreshed while the
 * run lasts, taken over once it has not been refreshed for {@code staleAfter} (its holder died). This only saves work:
 * two collectors at once stay safe, because each one's deletions pass the fence on their own.
 */
final class CollectorLock {
  private final GcStore store;
  private final String runId;
  private final Duration staleAfter;

  private CollectorLock(GcStore store, String runId, Duration staleAfter) {
    this.store = store;
    this.runId = runId;
    this.staleAfter = staleAfter;
  }

  /** The lock, or empty when another live collector holds it; {@code now} is storage time. */
  static Optional<CollectorLock> tryAcquire(GcStore store, String runId, Duration staleAfter, Instant now) {
    byte[] content = runId.getBytes(StandardCharsets.UTF_8);
    if (store.createMarker(FenceMarkers.LOCK, content)) {
      return Optional.of(new CollectorLock(store, runId, staleAfter));
    }
    Optional<GcStore.Marker> held = store.listMarkers("gc/").stream()
        .filter(marker -> marker.key().equals(FenceMarkers.LOCK)).findFirst();
    if (held.isPresent() && held.get().modified().isAfter(now.minus(staleAfter))) {
      return Optional.empty();
    }
    // stale: its holder stopped refreshing it. Two takers racing here may both run, which is safe.
    store.deleteMarker(FenceMarkers.LOCK);
    return store.createMarker(FenceMarkers.LOCK, content)
        ? Optional.of(new CollectorLock(store, runId, staleAfter)) : Optional.empty();
  }

  /** Keeps the lock fresh; called between repositories and batches. */
  void refresh() {
    if (store.readMarker(FenceMarkers.LOCK).map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .filter(runId::equals).isPresent()) {
      store.putMarker(FenceMarkers.LOCK, runId.getBytes(StandardCharsets.UTF_8));
    }
  }

  void release() {
    if (store.readMarker(FenceMarkers.LOCK).map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .filter(runId::equals).isPresent()) {
      store.deleteMarker(FenceMarkers.LOCK);
    }
  }

  Duration staleAfter() {
    return staleAfter;
  }
}
