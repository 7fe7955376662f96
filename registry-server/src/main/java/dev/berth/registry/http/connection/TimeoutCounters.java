package dev.berth.registry.http.connection;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** How many connections each timeout closed; tests wait on these, and they are the seed of a metric. */
public final class TimeoutCounters {
  private final Map<TimeoutPolicy.Verdict, AtomicLong> counts = new EnumMap<>(TimeoutPolicy.Verdict.class);

  public TimeoutCounters() {
    for (TimeoutPolicy.Verdict verdict : TimeoutPolicy.Verdict.values()) {
      counts.put(verdict, new AtomicLong());
    }
  }

  void timedOut(TimeoutPolicy.Verdict verdict) {
    counts.get(verdict).incrementAndGet();
  }

  public long count(TimeoutPolicy.Verdict verdict) {
    return counts.get(verdict).get();
  }
}
