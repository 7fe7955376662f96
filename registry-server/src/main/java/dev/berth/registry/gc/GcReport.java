package dev.berth.registry.gc;

import java.time.Instant;
import java.util.List;

/**
 * What one collection did (or, in a dry run, would do). {@code spared} counts items a concurrent write touched between
 * the mark and the delete; {@code deferred} those left because the run ran out of time; both are collected next run.
 * {@code error} is null for a complete run; a run that could not read everything deletes no blobs and says why.
 */
public record GcReport(
    Instant started,
    Instant finished,
    boolean dryRun,
    int repositories,
    int manifestsMarked,
    int blobsMarked,
    int manifestsDeleted,
    int blobsDeleted,
    int layerLinksDeleted,
    int tagsDeleted,
    int uploadsDeleted,
    long bytesFreed,
    int spared,
    int deferred,
    List<String> warnings,
    String error) {

  public GcReport {
    warnings = List.copyOf(warnings);
  }

  public boolean complete() {
    return error == null;
  }
}
