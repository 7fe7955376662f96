package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import dev.berth.registry.storage.NewReferences;

/** Something a collection decided to delete; {@link #fenceKey} is what a writer's touch must name to save it. */
record Doomed(Kind kind, RepositoryName repo, Digest digest, Tag tag, String uploadId, long size) {
  enum Kind {
    BLOB("blob"), MANIFEST("manifest"), LAYER_LINK("layer link"), TAG("tag"), UPLOAD("upload");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  static Doomed blob(Digest digest, long size) {
    return new Doomed(Kind.BLOB, null, digest, null, null, size);
  }

  static Doomed manifest(RepositoryName repo, Digest digest) {
    return new Doomed(Kind.MANIFEST, repo, digest, null, null, 0);
  }

  static Doomed layerLink(RepositoryName repo, Digest digest) {
    return new Doomed(Kind.LAYER_LINK, repo, digest, null, null, 0);
  }

  static Doomed tag(RepositoryName repo, Tag tag, Digest digest) {
    return new Doomed(Kind.TAG, repo, digest, tag, null, 0);
  }

  static Doomed upload(RepositoryName repo, String uploadId) {
    return new Doomed(Kind.UPLOAD, repo, null, null, uploadId, 0);
  }

  String fenceKey() {
    return switch (kind) {
      case TAG -> NewReferences.tagKey(repo, tag);
      case UPLOAD -> "upload:" + repo.value() + ":" + uploadId;
      default -> digest.toString();
    };
  }

  /** How the item is named in reports: a digest, {@code tag -> digest}, or an upload id. */
  String describe() {
    return switch (kind) {
      case TAG -> tag.value() + " -> " + digest;
      case UPLOAD -> uploadId;
      default -> digest.toString();
    };
  }

  boolean deleteFrom(GcStore store) {
    return switch (kind) {
      case BLOB -> store.deleteBlob(digest);
      case MANIFEST -> store.deleteRevision(repo, digest);
      case LAYER_LINK -> store.deleteLayerLink(repo, digest);
      case TAG -> store.deleteTag(repo, tag, digest);
      case UPLOAD -> store.deleteUpload(repo, uploadId);
    };
  }
}
