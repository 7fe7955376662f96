package dev.berth.registry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.opentest4j.AssertionFailedError;

/**
 * A compact JWS ({@code header.payload.signature}) read the way any client can, without the key: the payload's
 * claims, and a copy with other claims but the original signature (a tampered token).
 */
record JwtParts(String header, String payload, String signature) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JwtParts of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new AssertionFailedError("not a compact JWS (3 dot-separated parts): " + token);
    }
    return new JwtParts(parts[0], parts[1], parts[2]);
  }

  ObjectNode claims() {
    try {
      return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same header and signature around {@code newClaims}: what someone widening their own token would send. */
  String withClaims(JsonNode newClaims) {
    try {
      String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(newClaims));
      return header + "." + encoded + "." + signature;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
