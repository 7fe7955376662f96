package dev.berth.registry.auth;

import dev.berth.registry.oci.ErrorCode;
import java.time.Duration;

/** The answer to "may this request go on?". */
public sealed interface AuthDecision {
  /** Go on; {@code subject} is the user name (or "anonymous") for the access log. */
  record Allowed(String subject) implements AuthDecision {}

  /**
   * Refuse with {@code code} (UNAUTHORIZED: 401 with the {@code WWW-Authenticate} challenge; DENIED: 403;
   * TOOMANYREQUESTS: 429 for throttled logins, with {@code retryAfter}, sent as {@code Retry-After}).
   */
  record Refused(ErrorCode code, String message, String wwwAuthenticate, Duration retryAfter) implements AuthDecision {
    public Refused(ErrorCode code, String message, String wwwAuthenticate) {
      this(code, message, wwwAuthenticate, null);
    }

    /** The throttled login's wait in whole seconds, rounded up (a client retrying sooner would be refused again). */
    public static Refused throttled(Duration retryAfter) {
      long seconds = retryAfterSeconds(retryAfter);
      return new Refused(ErrorCode.TOOMANYREQUESTS,
          "too many failed logins; retry in " + seconds + "s", null, Duration.ofSeconds(seconds));
    }
  }

  /** Whole seconds, rounded up, at least 1: the value of a {@code Retry-After} header. */
  static long retryAfterSeconds(Duration wait) {
    long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
