package dev.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** User name and password from an {@code Authorization: Basic} header. {@link #toString()} never shows the password. */
public record BasicCredentials(String user, String password) {

  /** Thrown for a Basic header that cannot be decoded; the message never contains the header's content. */
  public static final class MalformedCredentialsException extends RuntimeException {
    MalformedCredentialsException(String message) {
      super(message);
    }
  }

  /**
   * The credentials of a Basic {@code Authorization} header; empty when there is no header or another scheme.
   *
   * @throws MalformedCredentialsException when the header says Basic but is not {@code base64(user:password)}
   */
  public static Optional<BasicCredentials> fromHeader(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String header = authorization.trim();
    if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      throw new MalformedCredentialsException("malformed Basic credentials: not base64");
    }
    String text = new String(decoded, StandardCharsets.UTF_8);
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new MalformedCredentialsException("malformed Basic credentials: expected user:password");
    }
    return Optional.of(new BasicCredentials(text.substring(0, colon), text.substring(colon + 1)));
  }

  /** Some clients (containers/image) send {@code Basic :} when they have no credentials: that is anonymous. */
  public boolean anonymous() {
    return user.isEmpty() && password.isEmpty();
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + ", password=***]";
  }
}
