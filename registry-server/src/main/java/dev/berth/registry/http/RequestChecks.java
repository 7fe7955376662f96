package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * What a request head must satisfy before any endpoint sees it (RFC 9112): a protocol version this server speaks
 * (505 otherwise), and on HTTP/1.1 exactly one Host header (400 otherwise). A refused request closes the connection.
 */
final class RequestChecks {
  private RequestChecks() {}

  static Optional<RegistryException> check(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      String reason = String.valueOf(request.decoderResult().cause().getMessage());
      return Optional.of(new RegistryException(ErrorCode.UNSUPPORTED, "malformed request: " + reason, null, 400));
    }
    HttpVersion version = request.protocolVersion();
    boolean http10 = version.equals(HttpVersion.HTTP_1_0);
    if (!http10 && !version.equals(HttpVersion.HTTP_1_1)) {
      return Optional.of(new RegistryException(ErrorCode.UNSUPPORTED,
          version.text() + " is not supported; this server speaks HTTP/1.1 and HTTP/1.0", null, 505));
    }
    int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
    if (!http10 && hosts != 1) {
      return Optional.of(new RegistryException(ErrorCode.UNSUPPORTED,
          hosts == 0 ? "an HTTP/1.1 request needs a Host header" : "a request must not carry more than one Host header",
          null, 400));
    }
    return Optional.empty();
  }
}
