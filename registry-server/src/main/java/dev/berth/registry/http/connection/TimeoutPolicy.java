package dev.berth.registry.http.connection;

import dev.berth.registry.config.RegistryConfig;

/** Which of {@code http.timeouts} a connection has run out of, if any; pure, so tests drive it with plain numbers. */
public final class TimeoutPolicy {
  /** What to do with the connection. */
  public enum Verdict {
    NONE,
    /** No request within {@code idle}: close. */
    IDLE,
    /** The head did not complete within {@code header}: answer 408 and close. */
    HEADER,
    /** No body byte for {@code body}: close (an upload keeps what arrived). */
    BODY,
    /** The client took nothing of a pending response for {@code send}: abandon it and close. */
    SEND
  }

  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final long sendNanos;

  public TimeoutPolicy(RegistryConfig.Timeouts timeouts) {
    this.headerNanos = timeouts.header().toNanos();
    this.bodyNanos = timeouts.body().toNanos();
    this.idleNanos = timeouts.idle().toNanos();
    this.sendNanos = timeouts.send().toNanos();
  }

  /**
   * @param phaseSince        when the phase's clock started (see {@link ConnectionPhase})
   * @param sendStalledSince  when a pending response last made progress, or -1 when nothing is pending
   */
  public Verdict check(ConnectionPhase phase, long phaseSince, long sendStalledSince, long now) {
    if (sendStalledSince >= 0 && now - sendStalledSince >= sendNanos) {
      return Verdict.SEND;
    }
    long waited = now - phaseSince;
    return switch (phase) {
      case IDLE -> waited >= idleNanos ? Verdict.IDLE : Verdict.NONE;
      case HEADERS -> waited >= headerNanos ? Verdict.HEADER : Verdict.NONE;
      case BODY -> waited >= bodyNanos ? Verdict.BODY : Verdict.NONE;
      case PROCESSING -> Verdict.NONE;
    };
  }

  /**
   * How much of the time between two looks the server could not have seen the client: a look that comes more than a
   * tick late means the event loop was busy or the process stood still (a long GC pause, a starved machine), and bytes
   * the client sent meanwhile sat unread in the socket. That time is the server's, never the client's stall.
   */
  public long unobservedNanos(long lastLook, long now) {
    return Math.max(0, now - lastLook - tickNanos());
  }

  /** How often to look: a quarter of the shortest timeout, between 10 ms and 1 s. */
  public long tickNanos() {
    long shortest = Math.min(Math.min(headerNanos, bodyNanos), Math.min(idleNanos, sendNanos));
    return Math.max(10_000_000L, Math.min(1_000_000_000L, shortest / 4));
  }
}
