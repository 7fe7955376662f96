package dev.berth.registry.http.connection;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Admission at {@code http.limits}: under the caps a connection is admitted; at a cap the longest-idle keep-alive
 * connection (of the same client, for the per-client cap) makes room; only when none is idle is the newcomer
 * refused, with 503 (total) or 429 (per client). Refused connections still hold a descriptor until their answer is
 * out, so at most {@code refusalReserve} of them exist at once; beyond that a newcomer is closed without an answer.
 * Called once per accepted connection, so one lock is cheap next to the accept itself.
 */
public final class ConnectionLimiter {
  /** What the limiter needs of a connection. */
  public interface Connection {
    InetAddress client();

    /** When it became idle waiting for a request, or {@link Long#MAX_VALUE} while busy. */
    long idleSinceNanos();

    /** Close it to make room (asynchronous). */
    void evict();
  }

  /** The outcome for a new connection. */
  public enum Admission {
    ADMITTED,
    /** Answer 503 with Retry-After and close. */
    REFUSED_FULL,
    /** Answer 429 with Retry-After and close. */
    REFUSED_CLIENT,
    /** Close at once: even the room for refusals is used up. */
    DROPPED
  }

  private final int cap;
  private final int perClientCap;
  private final int refusalReserve;
  private final Set<Connection> open = new LinkedHashSet<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private int refusing;
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /** @param perClientCap 0 for no per-client cap */
  public ConnectionLimiter(int cap, int perClientCap, int refusalReserve) {
    if (cap < 1 || perClientCap < 0 || refusalReserve < 0) {
      throw new IllegalArgumentException("cap " + cap + ", per client " + perClientCap + ", reserve " + refusalReserve);
    }
    this.cap = cap;
    this.perClientCap = perClientCap;
    this.refusalReserve = refusalReserve;
  }

  public int cap() {
    return cap;
  }

  public synchronized Admission admit(Connection connection) {
    InetAddress client = connection.client();
    if (perClientCap > 0 && perClient.getOrDefault(client, 0) >= perClientCap
        && !evictLongestIdle(c -> c.client().equals(client))) {
      return refuse(Admission.REFUSED_CLIENT);
    }
    if (open.size() + refusing >= cap && !evictLongestIdle(c -> true)) {
      return refuse(Admission.REFUSED_FULL);
    }
    open.add(connection);
    perClient.merge(client, 1, Integer::sum);
    return Admission.ADMITTED;
  }

  /** The connection closed; {@code admission} is what {@link #admit} said for it. */
  public synchronized void release(Connection connection, Admission admission) {
    if (admission == Admission.REFUSED_FULL || admission == Admission.REFUSED_CLIENT) {
      refusing--;
    } else if (admission == Admission.ADMITTED) {
      forget(connection);
    }
  }

  public synchronized int open() {
    return open.size();
  }

  public long evicted() {
    return evicted.get();
  }

  public long refused() {
    return refused.get();
  }

  private Admission refuse(Admission why) {
    if (refusing >= refusalReserve) {
      return Admission.DROPPED;
    }
    refusing++;
    refused.incrementAndGet();
    return why;
  }

  private boolean evictLongestIdle(Predicate<Connection> among) {
    Optional<Connection> victim = open.stream()
        .filter(among)
        .filter(c -> c.idleSinceNanos() != Long.MAX_VALUE)
        .min(Comparator.comparingLong(Connection::idleSinceNanos));
    victim.ifPresent(c -> {
      forget(c); // counted out now, so that a second newcomer does not pick the same victim
      evicted.incrementAndGet();
      c.evict();
    });
    return victim.isPresent();
  }

  private void forget(Connection connection) {
    if (open.remove(connection)) {
      perClient.computeIfPresent(connection.client(), (k, n) -> n > 1 ? n - 1 : null);
    }
  }
}
