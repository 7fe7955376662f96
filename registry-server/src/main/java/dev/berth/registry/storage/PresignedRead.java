package dev.berth.registry.storage;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A signed GET of a byte range of an object, complete enough for any HTTP client to send: the URL with its query
 * signature and the headers that were signed with it (host, range). The HTTP layer sends it with its own client so
 * the object's bytes go from one socket to the other without passing through the SDK's streams.
 *
 * @param skipVerify the endpoint's TLS certificate is not checked ({@code storage.s3.skipverify})
 */
public record PresignedRead(URI url, Map<String, List<String>> headers, boolean skipVerify) {
  public PresignedRead {
    headers = Map.copyOf(headers);
  }

  public boolean secure() {
    return "https".equalsIgnoreCase(url.getScheme());
  }

  /** The URL's port, or the scheme's default. */
  public int port() {
    return url.getPort() != -1 ? url.getPort() : secure() ? 443 : 80;
  }

  /** What goes on the request line: the raw path and query, signature included. */
  public String target() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }
}
