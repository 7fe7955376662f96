package dev.berth.registry.tls;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the optional plain-HTTP listener ({@code http.redirect.addr}) sends a request: the same host and path on
 * the HTTPS port, answered with 308 so that a PUT or POST is repeated as such.
 */
public final class HttpsRedirect {
  public static final int STATUS = 308;
  /** A host name, IPv4 or bracketed IPv6 address, with an optional port that is dropped. */
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  private HttpsRedirect() {}

  /**
   * The {@code Location} for a request that arrived with {@code hostHeader} and {@code uri}; empty when the Host
   * header is missing or not a plain host (the caller answers 400 then, rather than redirect anywhere it says).
   */
  public static Optional<String> location(String hostHeader, String uri, int httpsPort) {
    if (hostHeader == null) {
      return Optional.empty();
    }
    Matcher host = HOST.matcher(hostHeader.trim());
    if (!host.matches()) {
      return Optional.empty();
    }
    String path = uri == null || !uri.startsWith("/") || uri.startsWith("//") ? "/" : uri;
    String port = httpsPort == 443 ? "" : ":" + httpsPort;
    return Optional.of("https://" + host.group(1) + port + path);
  }
}
