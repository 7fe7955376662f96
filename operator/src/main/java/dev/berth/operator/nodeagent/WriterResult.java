package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;

import java.util.List;

/** What a runtime writer did: the report for this pass and the footprint to persist for the next. */
public record WriterResult(RuntimeReport report, RuntimeFootprint footprint) {

  /**
   * Files are in place: CONFIGURED, or RESTART_PENDING when {@code pending} (what the node's administrator still has to
   * do, or null) is set, which then leads the notes.
   */
  static WriterResult applied(Runtime runtime, String pending, List<String> notes, RuntimeFootprint footprint) {
    if (pending == null) {
      return new WriterResult(new RuntimeReport(runtime, RuntimeOutcome.CONFIGURED, String.join("; ", notes)),
          footprint);
    }
    String message = notes.isEmpty() ? pending : pending + "; " + String.join("; ", notes);
    return new WriterResult(new RuntimeReport(runtime, RuntimeOutcome.RESTART_PENDING, message), footprint);
  }

  /** Everything the previous footprint recorded is gone, so nothing is left to remember. */
  static WriterResult removed(Runtime runtime, List<String> notes) {
    return new WriterResult(new RuntimeReport(runtime, RuntimeOutcome.REMOVED, String.join("; ", notes)),
        RuntimeFootprint.empty());
  }

  /** FAILED with {@code message}, keeping {@code footprint} so that what was added can still be removed later. */
  static WriterResult failed(Runtime runtime, String message, RuntimeFootprint footprint) {
    return new WriterResult(new RuntimeReport(runtime, RuntimeOutcome.FAILED, message), footprint);
  }
}
