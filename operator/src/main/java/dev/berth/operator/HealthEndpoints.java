package dev.berth.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.operator.config.OperatorSettings.Address;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (the operator started) and {@code /readyz} (its informers are healthy) for the kubelet's probes. */
public final class HealthEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HealthEndpoints(HttpServer server) {
    this.server = server;
  }

  public static HealthEndpoints start(Address address, RuntimeInfo runtime) throws IOException {
    return start(address, runtime::isStarted, runtime::allEventSourcesAreHealthy);
  }

  static HealthEndpoints start(Address address, BooleanSupplier live, BooleanSupplier ready) throws IOException {
    InetSocketAddress bind = address.host().isEmpty()
        ? new InetSocketAddress(address.port())
        : new InetSocketAddress(address.host(), address.port());
    HttpServer server = HttpServer.create(bind, 16);
    server.createContext("/healthz", exchange -> answer(exchange, live.getAsBoolean()));
    server.createContext("/readyz", exchange -> answer(exchange, live.getAsBoolean() && ready.getAsBoolean()));
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

  @Override
  public void close() {
    server.stop(0);
  }
}
