package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import java.util.Arrays;

/** The 405 answer for a method an endpoint does not take. */
final class Methods {
  private Methods() {}

  static void require(Exchange exchange, String... allowed) {
    String method = exchange.method().name();
    if (!Arrays.asList(allowed).contains(method)) {
      throw notAllowed(exchange);
    }
  }

  static RegistryException notAllowed(Exchange exchange) {
    return new RegistryException(ErrorCode.UNSUPPORTED,
        "method " + exchange.method().name() + " not allowed on " + exchange.path());
  }
}
