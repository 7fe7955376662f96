package dev.berth.registry.metrics;

/**
 * The {@code handler} label of the HTTP metrics: distribution's route names (with '-' as '_', as its metrics write
 * them) for the routes both servers have, and Berth's own names for the rest. A fixed set, so a label never carries
 * a repository name or a path.
 */
public enum Handler {
  BASE("base"),
  CATALOG("catalog"),
  TAGS("tags"),
  MANIFEST("manifest"),
  BLOB("blob"),
  BLOB_UPLOAD("blob_upload"),
  BLOB_UPLOAD_CHUNK("blob_upload_chunk"),
  REFERRERS("referrers"),
  SEARCH("search"),
  TOKEN("token"),
  HEALTH("health"),
  READY("ready"),
  /** The web UI's files and its redirect. */
  UI("ui"),
  /** The web UI's JSON API under /v2/_berth/. */
  BERTH_API("berth_api"),
  /** No route: an unknown path, an invalid repository name, or a request refused before routing. */
  UNKNOWN("unknown");

  private final String label;

  Handler(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
