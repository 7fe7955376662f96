package dev.berth.registry.proxy;

/**
 * The upstream could not give what was asked. {@link #unavailable()} separates "it is down or failing" (connection
 * refused, timeout, 5xx, 429: serve what the cache has) from a definite answer such as 404 or a refused login.
 */
public final class UpstreamException extends Exception {
  private final int status;

  UpstreamException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  UpstreamException(int status, String message) {
    this(status, message, null);
  }

  /** The upstream's HTTP status; 0 when there was no answer at all. */
  public int status() {
    return status;
  }

  public boolean notFound() {
    return status == 404;
  }

  public boolean unavailable() {
    return status == 0 || status == 429 || status >= 500;
  }
}
