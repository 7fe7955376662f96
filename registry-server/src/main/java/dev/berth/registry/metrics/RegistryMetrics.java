package dev.berth.registry.metrics;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Everything the server measures, in one place: the HTTP layer, storage, auth, the collector and the cache each
 * report through one call here and never touch a meter. {@link #NONE} (no debug listener, or its Prometheus switch
 * off) does nothing, so a server without metrics pays one empty call per event.
 */
public interface RegistryMetrics {
  /** Measures nothing. */
  RegistryMetrics NONE = new RegistryMetrics() {};

  /** Whether anything is recorded; callers skip work (reading the clock) that only metrics need. */
  default boolean enabled() {
    return false;
  }

  /** A request was routed to {@code handler}: it is in flight until {@link #requestFinished}. */
  default void requestStarted(Handler handler) {}

  /**
   * A response was written, or the client went away (status 499).
   *
   * @param routed the handler {@link #requestStarted} was told, or null for a request that was never routed
   * @param method the request method as sent
   */
  default void requestFinished(Handler routed, String method, int status, long bytesIn, long bytesOut, long nanos) {}

  /** One storage driver call ({@code action} in distribution's names: GetContent, PutContent, Stat, List...). */
  default void storageAction(String driver, String action, long nanos) {}

  /** A storage driver call failed (a disk or bucket error; "not found" is an answer, not a failure). */
  default void storageError(String driver, String action) {}

  /**
   * A blob download streamed from object storage, by its route: relayed by the server's own HTTP client, or read
   * through the storage client because the relay could not be used (a fallback an operator wants to see).
   */
  default void objectDownload(DownloadRoute route) {}

  /** A blob upload body started arriving. */
  default void uploadStarted() {}

  /** A blob upload body was stored, refused or cut off. */
  default void uploadEnded() {}

  /** A login (Basic or at the token endpoint) or a token was refused; {@code reason} is one of a fixed few. */
  default void authRefused(AuthFailure reason) {}

  /** A garbage collection finished (or failed). */
  default void gcRun(GcRun run) {}

  /** The pull-through cache answered from storage ({@code hit}) or had to fetch from the upstream. */
  default void cacheLookup(CacheItem type, boolean hit) {}

  /** A notifications endpoint's counts, read at each scrape. */
  default void notifications(String endpoint, dev.berth.registry.notify.NotificationStats stats) {}

  /** The serving certificate's expiry, read at each scrape (it is reloaded when its file changes). */
  default void certificateExpiry(Supplier<Instant> notAfter) {}

  /** Why an authentication attempt failed: the {@code reason} label. */
  enum AuthFailure {
    /** Wrong user name or password. */
    INVALID_CREDENTIALS("invalid_credentials"),
    /** Refused unchecked: the address or account failed too often (429). */
    THROTTLED("throttled"),
    /** A bearer token that is expired, forged or for another service. */
    INVALID_TOKEN("invalid_token");

    private final String label;

    AuthFailure(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** What the pull-through cache served: the {@code type} label, as distribution's proxy metrics. */
  enum CacheItem {
    MANIFEST("manifest"),
    BLOB("blob");

    private final String label;

    CacheItem(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One collection as the metrics see it. {@code error} null: complete. Deleted counts are per kind; in a dry run they
   * are what would have gone and are not counted.
   */
  record GcRun(boolean dryRun, String error, long durationNanos, Instant finished, long bytesFreed, int blobs,
      int manifests, int tags, int layerLinks, int uploads) {}
}
