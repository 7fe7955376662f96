package dev.berth.registry.cli;

/** A started server as the command line sees it: where it listens, and how to stop it gracefully. */
public interface RunningServer extends AutoCloseable {
  /** The bound port (differs from the configured one when that was 0). */
  int port();

  /** The bound port of the debug listener ({@code http.debug.addr}); fails when there is none. */
  default int debugPort() {
    throw new IllegalStateException("no debug listener: http.debug.addr is not set");
  }

  /** Stops accepting, finishes in-flight requests (bounded) and releases resources. */
  @Override
  void close();
}
