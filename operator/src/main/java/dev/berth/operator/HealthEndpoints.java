package dev.berth.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.operator.config.OperatorSettings.Address;
import dev.berth.operator.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the operator started) and {@code /readyz} (its informers are healthy) for the kubelet's probes,
 * and {@code /metrics} (Prometheus text) when the operator records metrics.
 */
public final class HealthEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HealthEndpoints(HttpServer server) {
    this.server = server;
  }

  public static HealthEndpoints start(Address address, RuntimeInfo runtime) throws IOException {
    return start(address, runtime::isStarted, runtime::allEventSourcesAreHealthy);
  }

  /** As above, serving {@code metrics} at {@code /metrics}. */
  public static HealthEndpoints start(Address address, RuntimeInfo runtime, OperatorMetrics metrics) throws IOException {
    return start(address, runtime::isStarted, runtime::allEventSourcesAreHealthy, metrics::scrape);
  }

  static HealthEndpoints start(Address address, BooleanSupplier live, BooleanSupplier ready) throws IOException {
    return start(address, live, ready, null);
  }

  /** @param scrape the metrics exposition, or null for none (then {@code /metrics} is a 404) */
  static HealthEndpoints start(Address address, BooleanSupplier live, BooleanSupplier ready, Supplier<String> scrape)
      throws IOException {
    InetSocketAddress bind = address.host().isEmpty()
        ? new InetSocketAddress(address.port())
        : new InetSocketAddress(address.host(), address.port());
    HttpServer server = HttpServer.create(bind, 16);
    server.createContext("/healthz", exchange -> answer(exchange, live.getAsBoolean()));
    server.createContext("/readyz", exchange -> answer(exchange, live.getAsBoolean() && ready.getAsBoolean()));
    if (scrape != null) {
      server.createContext("/metrics", exchange -> metrics(exchange, scrape));
    }
    server.start();
    return new HealthEndpoints(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.UTF_8);
    int code = !exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath()) ? 404 : ok ? 200 : 503;
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void metrics(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    boolean exact = exchange.getRequestURI().getPath().equals("/metrics");
    boolean read = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
    byte[] body = (!exact ? "404 page not found\n" : !read ? "use GET\n" : scrape.get()).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", exact && read ? OperatorMetrics.CONTENT_TYPE : "text/plain; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(!exact ? 404 : !read ? 405 : 200, head ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
