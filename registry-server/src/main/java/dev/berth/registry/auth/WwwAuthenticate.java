package dev.berth.registry.auth;

/** Builds {@code WWW-Authenticate} challenge values with correctly quoted parameters. */
public final class WwwAuthenticate {
  private WwwAuthenticate() {}

  public static String basic(String realm) {
    return "Basic realm=" + quote(realm);
  }

  /**
   * A Bearer challenge as the Docker token protocol has it; {@code scope} and {@code error} are left out when null.
   */
  public static String bearer(String realm, String service, String scope, String error) {
    StringBuilder challenge = new StringBuilder("Bearer realm=").append(quote(realm))
        .append(",service=").append(quote(service));
    if (scope != null) {
      challenge.append(",scope=").append(quote(scope));
    }
    if (error != null) {
      challenge.append(",error=").append(quote(error));
    }
    return challenge.toString();
  }

  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\');
      }
      // Control characters would split the header; they never belong in a realm or scope.
      if (c >= 0x20 && c != 0x7f) {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
