package dev.berth.registry.testsupport;

import java.time.Duration;
import java.util.Locale;
import java.util.function.IntFunction;
import org.opentest4j.AssertionFailedError;

/** A registry process that must be told its port, started on a free loopback port and answering there. */
public record LoopbackServer(ServerProcess process, int port) {
  private static final int START_ATTEMPTS = 3;

  /**
   * Starts {@code launch} with a free loopback port and waits up to {@code readyLimit} for its {@code GET /v2/}. When
   * the port was taken meanwhile (the log says "address already in use": Go and Java both do), tries another one.
   */
  public static LoopbackServer start(IntFunction<ServerProcess> launch, Duration readyLimit) {
    AssertionFailedError lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = LoopbackPorts.free();
      ServerProcess process = launch.apply(port);
      try {
        RegistryProbe.awaitReady("127.0.0.1:" + port, readyLimit, process::isAlive, process::diagnostics);
        return new LoopbackServer(process, port);
      } catch (AssertionFailedError e) {
        process.stop();
        lastFailure = e;
        if (!process.diagnostics().toLowerCase(Locale.ROOT).contains("address already in use")) {
          break;
        }
      }
    }
    throw lastFailure;
  }
}
