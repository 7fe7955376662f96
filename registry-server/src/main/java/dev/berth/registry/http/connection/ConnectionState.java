package dev.berth.registry.http.connection;

import java.net.InetAddress;

/**
 * One connection's phase and when it entered it, updated on the connection's event loop by {@link ConnectionWatchdog}
 * (bytes off the socket) and {@link HttpPhaseTracker} (decoded requests, written responses). The limiter reads
 * {@link #idleSinceNanos()} from other threads, hence the volatile fields.
 */
final class ConnectionState implements ConnectionLimiter.Connection {
  private final InetAddress client;
  private final Runnable closer;
  private volatile ConnectionPhase phase = ConnectionPhase.IDLE;
  /** IDLE: when it became idle; HEADERS: the request's first byte; BODY: the last byte or server-side pause. */
  private volatile long since;
  private long requestsEnded;
  private long responsesSent;

  ConnectionState(InetAddress client, long nowNanos, Runnable closer) {
    this.client = client;
    this.closer = closer;
    this.since = nowNanos;
  }

  ConnectionPhase phase() {
    return phase;
  }

  long since() {
    return since;
  }

  void bytesRead(long now) {
    if (phase == ConnectionPhase.IDLE) {
      enter(ConnectionPhase.HEADERS, now);
    } else if (phase == ConnectionPhase.BODY) {
      since = now;
    }
  }

  /** The server stopped reading (backpressure): waiting on itself is not the client's stall. */
  void serverPaused(long now) {
    if (phase == ConnectionPhase.BODY) {
      since = now;
    }
  }

  /** The server could not watch the connection for {@code nanos} (see {@link TimeoutPolicy#unobservedNanos}). */
  void excuse(long nanos, long now) {
    since = Math.min(since + nanos, now);
  }

  void requestHead(long now) {
    enter(ConnectionPhase.BODY, now);
  }

  void requestEnd(long now) {
    requestsEnded++;
    // an early answer (a refusal before the body) may already be out: then the connection is idle once the body is in
    enter(responsesSent >= requestsEnded ? ConnectionPhase.IDLE : ConnectionPhase.PROCESSING, now);
  }

  void responseSent(long now) {
    responsesSent++;
    if (phase == ConnectionPhase.PROCESSING && responsesSent >= requestsEnded) {
      enter(ConnectionPhase.IDLE, now);
    }
  }

  private void enter(ConnectionPhase next, long now) {
    phase = next;
    since = now;
  }

  @Override
  public InetAddress client() {
    return client;
  }

  @Override
  public long idleSinceNanos() {
    long idleSince = since;
    return phase == ConnectionPhase.IDLE ? idleSince : Long.MAX_VALUE;
  }

  @Override
  public void evict() {
    closer.run();
  }
}
