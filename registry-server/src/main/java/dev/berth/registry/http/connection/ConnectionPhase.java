package dev.berth.registry.http.connection;

/** Where a connection stands in its request/response cycle, which decides the timeout that applies to it. */
public enum ConnectionPhase {
  /** Waiting for the first byte of a request (new, or keep-alive after a response): {@code http.timeouts.idle}. */
  IDLE,
  /** A request's first bytes arrived, its head has not: {@code http.timeouts.header}, from the first byte. */
  HEADERS,
  /** Reading a request body: {@code http.timeouts.body}, from the last byte (paused while the server is behind). */
  BODY,
  /** The request has arrived and the server works on it or sends the answer; only {@code send} applies. */
  PROCESSING
}
