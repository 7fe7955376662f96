package dev.berth.registry.storage;

import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a registry keeps its content, in the CNCF distribution layout. Every method validates its own inputs and
 * reports failures as {@link dev.berth.registry.oci.RegistryException} with the spec's code; none of them touch the
 * network, so they are tested without a socket. All methods may block on disk I/O. A failure of the disk itself (full,
 * unreadable) is not the client's fault and surfaces as {@link java.io.UncheckedIOException}: answer 500.
 */
public interface RegistryStorage {

  // ---- blobs

  /** The blob, when it exists and is linked into {@code repo}. */
  Optional<BlobInfo> blob(RepositoryName repo, Digest digest);

  /** Opens a blob linked into {@code repo} for reading; BLOB_UNKNOWN otherwise. */
  OpenBlob openBlob(RepositoryName repo, Digest digest);

  /** Links a blob that {@code from} holds into {@code to}; false (nothing changed) when {@code from} lacks it. */
  boolean mountBlob(RepositoryName to, RepositoryName from, Digest digest);

  /**
   * Where the client may fetch the blob itself (a presigned object-store URL), when this storage redirects downloads
   * ({@code storage.redirect.disable: false}); empty means serve the bytes. Never for HEAD.
   */
  default Optional<URI> blobRedirect(RepositoryName repo, Digest digest) {
    return Optional.empty();
  }

  /** Unlinks the blob from {@code repo}; BLOB_UNKNOWN when it was not linked. The data is left to garbage collection. */
  void deleteBlob(RepositoryName repo, Digest digest);

  // ---- uploads

  UploadSession startUpload(RepositoryName repo);

  /** A running upload of {@code repo}; BLOB_UPLOAD_UNKNOWN for an unknown id or one of another repository. */
  UploadSession upload(RepositoryName repo, String uploadId);

  // ---- manifests

  /**
   * Validates and stores a manifest under its digest, and under {@code reference} when that is a tag. MANIFEST_INVALID
   * for bytes that are not a manifest, MANIFEST_BLOB_UNKNOWN when it references blobs or manifests the repository
   * lacks, DIGEST_INVALID when {@code reference} is a digest that does not match, TAG_INVALID for a bad tag.
   */
  ManifestPutResult putManifest(RepositoryName repo, String reference, String contentType, byte[] content);

  /**
   * Stores a manifest the pull-through cache fetched: validated and verified against {@code reference} when that is a
   * digest, exactly as a push, but the blobs and child manifests it references are fetched when first pulled, so
   * they need not be present yet.
   */
  ManifestPutResult putCachedManifest(RepositoryName repo, String reference, String contentType, byte[] content);

  /** The manifest by tag or digest. */
  Optional<StoredManifest> manifest(RepositoryName repo, String reference);

  /** By digest: removes the revision and every tag pointing at it. By tag: removes the tag only. MANIFEST_UNKNOWN otherwise. */
  void deleteManifest(RepositoryName repo, String reference);

  // ---- listings

  /** Tags of the repository, sorted; NAME_UNKNOWN when the repository does not exist. */
  List<String> tags(RepositoryName repo);

  /**
   * Up to {@code limit} repository names sorted lexically, starting after {@code last} (null: from the start);
   * IllegalArgumentException for a negative limit. A repository is one holding a blob or a manifest, as registry:2
   * counts; what this server wrote is listed at once, another writer's within the implementation's refresh bound.
   */
  List<String> repositories(String last, int limit);

  /** Manifests in {@code repo} whose {@code subject} is {@code subject}, as descriptors (with artifactType, annotations). */
  List<Descriptor> referrers(RepositoryName repo, Digest subject);

  /**
   * When {@code tag} was last pushed, as far as the storage knows (a push through this registry records it; a tag
   * written by registry:2 has its link's modification time); empty when it cannot tell or the tag is absent.
   */
  default Optional<java.time.Instant> tagPushed(RepositoryName repo, dev.berth.registry.oci.Tag tag) {
    return Optional.empty();
  }

  /** Readiness: the storage accepts writes right now. */
  boolean isWritable();
}
