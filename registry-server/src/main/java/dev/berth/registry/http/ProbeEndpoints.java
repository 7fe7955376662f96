package dev.berth.registry.http;

import dev.berth.registry.storage.RegistryStorage;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** {@code GET /v2/} (API version check), {@code /healthz} (liveness) and {@code /readyz} (storage writable). */
final class ProbeEndpoints {
  private final RegistryStorage storage;

  ProbeEndpoints(RegistryStorage storage) {
    this.storage = storage;
  }

  BodySink base(Exchange exchange) {
    Methods.require(exchange, "GET", "HEAD");
    exchange.respondJson(HttpResponseStatus.OK, new DefaultHttpHeaders(), Map.of());
    return null;
  }

  BodySink health(Exchange exchange) {
    Methods.require(exchange, "GET", "HEAD");
    exchange.respondJson(HttpResponseStatus.OK, new DefaultHttpHeaders(), Map.of("status", "ok"));
    return null;
  }

  BodySink ready(Exchange exchange) {
    Methods.require(exchange, "GET", "HEAD");
    if (storage.isWritable()) {
      exchange.respondJson(HttpResponseStatus.OK, new DefaultHttpHeaders(), Map.of("status", "ready"));
    } else {
      exchange.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, new DefaultHttpHeaders(),
          Map.of("status", "storage is not writable"));
    }
    return null;
  }
}
