package dev.berth.registry.metrics;

/** How a blob download from object storage reached the client; the {@code via} label of the downloads counter. */
public enum DownloadRoute {
  /** The store's response relayed by the server's own HTTP client, buffers passed on as they arrive. */
  RELAY("relay"),
  /** Read through the storage client's stream, the fallback when the relay could not be used. */
  CLIENT("client");

  private final String label;

  DownloadRoute(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
