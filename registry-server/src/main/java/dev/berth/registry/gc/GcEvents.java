package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;

/** Per-item progress of a collection, for the CLI's distribution-style listing; the server ignores it. */
public interface GcEvents {
  GcEvents NONE = new GcEvents() {};

  default void repository(RepositoryName repo) {}

  default void markedManifest(RepositoryName repo, Digest digest) {}

  default void markedBlob(RepositoryName repo, Digest digest) {}

  /** {@code kind}: blob, manifest, layer link, tag or upload; {@code repo} null for a blob. */
  default void eligible(String kind, RepositoryName repo, String what) {}

  default void deleted(String kind, RepositoryName repo, String what) {}
}
