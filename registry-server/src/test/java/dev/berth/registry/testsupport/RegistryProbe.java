package dev.berth.registry.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/** Waits for a registry's {@code GET /v2/} to answer 200, giving up early when its process died. */
public final class RegistryProbe {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RegistryProbe() {}

  /**
   * Polls {@code http://<hostPort>/v2/} every 100 ms until it answers 200, for at most {@code limit}. Fails at once when
   * {@code alive} turns false, and on timeout; both failures include {@code diagnostics} (the server's log).
   */
  public static void awaitReady(String hostPort, Duration limit, BooleanSupplier alive, Supplier<String> diagnostics) {
    URI uri = URI.create("http://" + hostPort + "/v2/");
    long deadline = System.nanoTime() + limit.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new AssertionFailedError("registry at " + hostPort + " exited before it was ready\n" + diagnostics.get());
      }
      try {
        HttpResponse<Void> response = HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
        lastProblem = "GET /v2/ answered " + response.statusCode();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + hostPort, e);
      }
      sleep(100);
    }
    throw new AssertionFailedError("registry at " + hostPort + " not ready within " + limit + " (" + lastProblem
        + ")\n" + diagnostics.get());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
