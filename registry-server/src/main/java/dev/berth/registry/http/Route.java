package dev.berth.registry.http;

import dev.berth.registry.oci.RepositoryName;

/** A parsed request target. Repository names are validated by {@link Router}; references and digests by endpoints. */
public sealed interface Route {
  record Base() implements Route {}

  record Catalog() implements Route {}

  record Search() implements Route {}

  record Health() implements Route {}

  record Ready() implements Route {}

  record Token() implements Route {}

  record Tags(RepositoryName repo) implements Route {}

  record Manifest(RepositoryName repo, String reference) implements Route {}

  record Blob(RepositoryName repo, String digest) implements Route {}

  record UploadStart(RepositoryName repo) implements Route {}

  record Upload(RepositoryName repo, String uploadId) implements Route {}

  record Referrers(RepositoryName repo, String digest) implements Route {}

  /** No such endpoint. */
  record NotFound(String path) implements Route {}
}
