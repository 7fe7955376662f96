package dev.berth.registry.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each cached tag was last confirmed upstream, so a tag is asked about at most once per its upstream's TTL.
 * In memory: after a restart every tag is asked about once more, which costs one HEAD each.
 */
final class TagFreshness {
  private final Clock clock;
  private final Map<String, Instant> checked = new ConcurrentHashMap<>();

  TagFreshness(Clock clock) {
    this.clock = clock;
  }

  boolean fresh(String key, Duration ttl) {
    Instant at = checked.get(key);
    return at != null && !ttl.isZero() && clock.instant().isBefore(at.plus(ttl));
  }

  void confirmed(String key) {
    checked.put(key, clock.instant());
  }
}
