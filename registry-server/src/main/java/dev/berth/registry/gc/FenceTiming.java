package dev.berth.registry.gc;

import java.time.Duration;

/**
 * The time bounds the fence's argument rests on (docs/gc.md, "The fence"). All are measured as elapsed time by the
 * side that must respect them, never by comparing two machines' clocks.
 *
 * @param writerWindow   a writer commits within this long of checking for collectors or recording its touch (it checks
 *                       that at most half of it has passed before it starts the commit, else it starts over); a
 *                       collector waits this long after announcing itself before it takes its start time
 * @param condemnedLease a collector deletes a condemned batch within this long of recording it, or stops; a writer
 *                       waits at most this long for a batch naming what it references
 * @param maxRun         a collector stops sweeping this long after its start time; touches are kept a little longer
 */
public record FenceTiming(Duration writerWindow, Duration condemnedLease, Duration maxRun) {
  public static final FenceTiming DEFAULTS = new FenceTiming(Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofHours(6));

  public FenceTiming {
    if (writerWindow.isNegative() || writerWindow.isZero() || condemnedLease.compareTo(writerWindow) < 0
        || maxRun.compareTo(condemnedLease) < 0) {
      throw new IllegalArgumentException("need 0 < writerWindow <= condemnedLease <= maxRun: " + writerWindow + ", "
          + condemnedLease + ", " + maxRun);
    }
  }

  /** How long a touch must stay readable: a run's whole life plus the writer window on both ends. */
  Duration touchRetention() {
    return maxRun.plus(writerWindow.multipliedBy(2));
  }
}
