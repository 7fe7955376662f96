package dev.berth.registry.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/** Headers every response carries: the API version marker and the operator's {@code http.headers}. */
final class ResponseDecorator {
  private final Map<String, List<String>> extra;

  ResponseDecorator(Map<String, List<String>> extra) {
    this.extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  void decorate(HttpHeaders headers) {
    headers.set("Docker-Distribution-API-Version", "registry/2.0");
    extra.forEach((name, values) -> {
      if (!headers.contains(name)) {
        headers.add(name, values);
      }
    });
  }
}
