package dev.berth.registry.auth;

import dev.berth.registry.oci.ErrorCode;

/** The answer to "may this request go on?". */
public sealed interface AuthDecision {
  /** Go on; {@code subject} is the user name (or "anonymous") for the access log. */
  record Allowed(String subject) implements AuthDecision {}

  /**
   * Refuse with {@code code} (UNAUTHORIZED: 401 with the {@code WWW-Authenticate} challenge; DENIED: 403;
   * TOOMANYREQUESTS: 429 for throttled logins).
   */
  record Refused(ErrorCode code, String message, String wwwAuthenticate) implements AuthDecision {}
}
