package dev.berth.registry.cli;

/** Keeps a started server running until the process is asked to stop, then closes it. */
@FunctionalInterface
public interface ShutdownWaiter {
  void serveUntilShutdown(RunningServer server) throws InterruptedException;
}
