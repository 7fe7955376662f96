package dev.berth.registry.storage;

import dev.berth.registry.oci.RepositoryName;

/**
 * Where a medium keeps uploads in progress ({@code _uploads/<id>}): the one part of storage that differs in kind
 * between media (a growing file on a filesystem, a multipart upload on an object store), so each has its own.
 */
interface UploadArea {
  UploadSession start(RepositoryName repo);

  /** A running upload of {@code repo}; BLOB_UPLOAD_UNKNOWN for an unknown id or one of another repository. */
  UploadSession find(RepositoryName repo, String uploadId);
}
