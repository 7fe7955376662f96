package dev.berth.registry.http;

import dev.berth.registry.auth.TokenEndpoint;
import dev.berth.registry.auth.TokenReply;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/** {@code GET /auth/token}: hands the request to the token service when token auth is on; 404 otherwise. */
final class TokenRoute implements RegistryApi.Endpoint {
  private final Optional<TokenEndpoint> endpoint;

  TokenRoute(Optional<TokenEndpoint> endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public BodySink handle(Exchange exchange) {
    TokenEndpoint tokens = endpoint.orElseThrow(() ->
        new RegistryException(ErrorCode.UNSUPPORTED, "token authentication is not enabled on this registry", null, 404));
    Methods.require(exchange, "GET");
    TokenReply reply = tokens.handle(exchange.authRequest(), exchange.params());
    HttpHeaders headers = new DefaultHttpHeaders();
    reply.headers().forEach(headers::set);
    // tokens must never be cached by proxies
    headers.set("Cache-Control", "no-store");
    exchange.respond(HttpResponseStatus.valueOf(reply.status()), headers, reply.body());
    return null;
  }
}
