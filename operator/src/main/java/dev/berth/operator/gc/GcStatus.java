package dev.berth.operator.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.operator.status.GarbageCollectionStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * status.garbageCollection from the newest finished run: its report's counts and times, or its failure. Pure, so the
 * aggregator and its tests need no API server. A run is reported once: the status remembers its Job.
 */
public final class GcStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Event for a run seen finished for the first time. */
  public record RunEvent(boolean failed, String reason, String message) {}

  private GcStatus() {}

  /**
   * @param previous   the status so far (may be null)
   * @param run        the newest finished run, if any
   * @param newTrigger the trigger value a Job was made for in this reconcile, if any
   */
  public static GarbageCollectionStatus next(GarbageCollectionStatus previous, Optional<GcRun> run,
      Optional<String> newTrigger) {
    if (previous == null && run.isEmpty() && newTrigger.isEmpty()) {
      return null;
    }
    GarbageCollectionStatus next = copy(previous);
    newTrigger.ifPresent(next::setLastTrigger);
    if (run.isPresent() && !run.get().job().equals(next.getLastJob())) {
      GcRun finished = run.get();
      next.setLastJob(finished.job());
      JsonNode report = finished.report().map(GcStatus::parse).orElse(null);
      next.setLastStart(text(report, "lastStart"));
      next.setLastCompletion(text(report, "lastCompletion"));
      next.setBlobsDeleted(number(report, "blobsDeleted"));
      next.setManifestsDeleted(number(report, "manifestsDeleted"));
      next.setBytesFreed(number(report, "bytesFreed"));
      String error = text(report, "error");
      if (error == null && !finished.succeeded()) {
        error = "Job " + finished.job() + " failed: " + finished.failure().orElse("no report")
            + (report == null ? " (no report; see the Job's pod log)" : "");
      }
      next.setError(error);
    }
    return next;
  }

  /** The Event for {@code next} when it reports a run {@code previous} did not. */
  public static Optional<RunEvent> event(GarbageCollectionStatus previous, GarbageCollectionStatus next) {
    if (next == null || next.getLastJob() == null
        || (previous != null && Objects.equals(previous.getLastJob(), next.getLastJob()))) {
      return Optional.empty();
    }
    if (next.getError() != null) {
      return Optional.of(new RunEvent(true, "GarbageCollectionFailed", next.getError()));
    }
    return Optional.of(new RunEvent(false, "GarbageCollected", "Job " + next.getLastJob() + " deleted "
        + orZero(next.getManifestsDeleted()) + " manifests and " + orZero(next.getBlobsDeleted()) + " blobs, freeing "
        + orZero(next.getBytesFreed()) + " bytes"));
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (java.io.IOException e) {
      return null; // a truncated or foreign message: reported as no report
    }
  }

  private static String text(JsonNode report, String field) {
    return report == null || !report.hasNonNull(field) ? null : report.get(field).asText();
  }

  private static Long number(JsonNode report, String field) {
    return report == null || !report.hasNonNull(field) ? null : report.get(field).asLong();
  }

  private static GarbageCollectionStatus copy(GarbageCollectionStatus previous) {
    GarbageCollectionStatus next = new GarbageCollectionStatus();
    if (previous != null) {
      next.setLastJob(previous.getLastJob());
      next.setLastStart(previous.getLastStart());
      next.setLastCompletion(previous.getLastCompletion());
      next.setBlobsDeleted(previous.getBlobsDeleted());
      next.setManifestsDeleted(previous.getManifestsDeleted());
      next.setBytesFreed(previous.getBytesFreed());
      next.setError(previous.getError());
      next.setLastTrigger(previous.getLastTrigger());
    }
    return next;
  }
}
