package dev.berth.registry.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for SIGTERM/SIGINT: a JVM shutdown hook closes the server gracefully (in-flight requests finish, within the
 * server's own bound) before the JVM exits, then releases the waiting main thread.
 */
public final class JvmShutdownWaiter implements ShutdownWaiter {
  private static final Logger LOG = LoggerFactory.getLogger(JvmShutdownWaiter.class);

  @Override
  public void serveUntilShutdown(RunningServer server) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: finishing in-flight requests");
      try {
        server.close();
        LOG.info("stopped");
      } catch (RuntimeException e) {
        LOG.warn("error while stopping the server", e);
      } finally {
        closed.countDown();
      }
    }, "registry-server-shutdown"));
    closed.await();
  }
}
