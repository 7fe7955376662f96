package dev.berth.registry.cli;

/** A started server as the command line sees it: where it listens, and how to stop it gracefully. */
public interface RunningServer extends AutoCloseable {
  /** The bound port (differs from the configured one when that was 0). */
  int port();

  /** Stops accepting, finishes in-flight requests (bounded) and releases resources. */
  @Override
  void close();
}
