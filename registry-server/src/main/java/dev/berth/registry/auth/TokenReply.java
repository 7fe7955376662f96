package dev.berth.registry.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the HTTP layer sends back for {@code GET /auth/token}: status, headers and a JSON body. */
public record TokenReply(int status, Map<String, String> headers, byte[] body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TokenReply {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  static TokenReply ok(IssuedToken token) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("token", token.token());
    json.put("access_token", token.token());
    json.put("expires_in", token.expiresInSeconds());
    json.put("issued_at", token.issuedAt().toString());
    return new TokenReply(200, jsonHeaders(Map.of()), write(json));
  }

  /** The spec's error format, {@code {"errors":[{"code","message","detail"}]}}, with the code's status. */
  static TokenReply error(ErrorCode code, String message, Map<String, String> extraHeaders) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", message);
    error.put("detail", null);
    return new TokenReply(code.httpStatus(), jsonHeaders(extraHeaders), write(Map.of("errors", List.of(error))));
  }

  private static Map<String, String> jsonHeaders(Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Content-Type", "application/json");
    // Tokens are credentials: no cache may keep them (RFC 6749 section 5.1).
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    return headers;
  }

  private static byte[] write(Object json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialise", e);
    }
  }
}
