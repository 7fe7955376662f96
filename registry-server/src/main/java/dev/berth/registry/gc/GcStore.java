package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything garbage collection needs from storage, and no more: list what is stored (with modification times in the
 * storage's own clock), read a manifest, delete one thing at a time, and keep small marker objects for the fence.
 * {@link LayoutGcStore} implements it on the registry:2 layout of a directory or an S3 bucket (there: LIST with
 * LastModified, GET, DELETE, PUT, PUT with If-None-Match). Listings may miss what is
 * created while they run; they must not report anything that never existed. Every delete is idempotent and reports
 * whether it removed something.
 */
public interface GcStore {

  /** Every repository (one holding {@code _layers} or {@code _manifests}), sorted. */
  List<RepositoryName> repositories();

  /** Each tag's current manifest ({@code _manifests/tags/<tag>/current/link}); tags without a readable link are left out. */
  Map<Tag, Digest> tags(RepositoryName repo);

  /** The manifest revisions of {@code repo} ({@code _manifests/revisions/<alg>/<hex>/link}), with their link's mtime. */
  List<Stored> revisions(RepositoryName repo);

  /** The blob links of {@code repo} ({@code _layers/<alg>/<hex>/link}), with their mtime. */
  List<Stored> layerLinks(RepositoryName repo);

  /** Upload sessions of {@code repo}, with the later of their start and last write. */
  List<Upload> uploads(RepositoryName repo);

  /** Calls {@code action} for every blob in the global store; streaming, since there may be millions. */
  void forEachBlob(Consumer<Blob> action);

  /** When {@code tag} was last pushed: Berth's sidecar, else (a root registry:2 wrote) its current link's mtime. */
  Optional<Instant> tagPushed(RepositoryName repo, Tag tag);

  /** When {@code tag} was last pulled, to the hour; empty when never (or only by registry:2). */
  Optional<Instant> tagPulled(RepositoryName repo, Tag tag);

  /** A manifest's bytes; empty when the blob is absent. Refuses (IllegalStateException) more than 4 MiB. */
  Optional<byte[]> readManifest(Digest digest);

  boolean deleteBlob(Digest digest);

  /**
   * Deletes these blobs at once (S3: a thousand per request); like {@link #deleteBlob} each, except that it does not
   * tell which were still there: the collector counts what its own listing found.
   */
  void deleteBlobs(List<Digest> digests);

  boolean deleteLayerLink(RepositoryName repo, Digest digest);

  /**
   * Removes a manifest revision the way a DELETE by digest does (revision link, tag history entries naming it, Berth's
   * sidecars and referrers entry), but only while no tag's current link names it; false when one does or it is gone.
   */
  boolean deleteRevision(RepositoryName repo, Digest digest);

  /** Removes {@code tag} only while it still points at {@code expected}. */
  boolean deleteTag(RepositoryName repo, Tag tag, Digest expected);

  boolean deleteUpload(RepositoryName repo, String uploadId);

  /**
   * The step of this storage's modification times: zero on a filesystem; a second on S3, whose LastModified counts
   * whole seconds, so an object may look up to that much older than it is. Every "older than" and "written since"
   * comparison of storage times allows for it, on the side of keeping.
   */
  Duration mtimeStep();

  // ---- markers: small objects under a prefix registry:2 never reads (filesystem: <root>/berth/; S3: <rootdirectory>/berth/)

  /** Writes (or replaces) a marker atomically and returns its modification time as the storage records it. */
  Instant putMarker(String key, byte[] content);

  /** Writes a marker only when none exists under {@code key} (S3: If-None-Match: *); false when one exists. */
  boolean createMarker(String key, byte[] content);

  /** The markers whose key starts with {@code prefix} (a "directory" ending in /), with their modification times. */
  List<Marker> listMarkers(String prefix);

  /** A marker's content; empty when it does not exist (any more). */
  Optional<byte[]> readMarker(String key);

  void deleteMarker(String key);

  /** A link or revision: the digest it names and when it was written. */
  record Stored(Digest digest, Instant modified) {}

  record Blob(Digest digest, long size, Instant modified) {}

  record Upload(String id, Instant modified) {}

  record Marker(String key, Instant modified) {}
}
