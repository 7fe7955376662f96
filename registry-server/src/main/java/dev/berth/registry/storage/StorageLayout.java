package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps validated names to paths of the CNCF distribution (registry:2) filesystem layout under a root directory, so
 * a registry:2 volume and a Berth volume are the same thing. Only validated records ever reach a path here.
 *
 * <pre>
 * docker/registry/v2/blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;/data
 * docker/registry/v2/repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;/link
 *                                       /_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link
 *                                       /_manifests/tags/&lt;tag&gt;/current/link
 *                                       /_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link
 *                                       /_uploads/&lt;id&gt;/data, startedat
 *                                       /_berth/...   Berth-only sidecars; registry:2 skips "_" directories
 * </pre>
 */
public final class StorageLayout {
  static final String BERTH_DIR = "_berth";

  private final Path root;
  private final Path v2;

  public StorageLayout(Path root) {
    this.root = root;
    this.v2 = root.resolve("docker").resolve("registry").resolve("v2");
  }

  public Path root() {
    return root;
  }

  public Path v2() {
    return v2;
  }

  // ---- global blob store

  public Path blobsRoot() {
    return v2.resolve("blobs");
  }

  public Path blobDir(Digest digest) {
    return blobsRoot().resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
  }

  public Path blobData(Digest digest) {
    return blobDir(digest).resolve("data");
  }

  // ---- repositories

  public Path repositoriesRoot() {
    return v2.resolve("repositories");
  }

  public Path repository(RepositoryName repo) {
    Path path = repositoriesRoot();
    for (String component : repo.value().split("/")) {
      path = path.resolve(component);
    }
    return path;
  }

  /** The inverse of {@link #repository}: the unchecked name of a directory under the repositories root. */
  public String repositoryNameOf(Path repositoryDir) {
    List<String> components = new ArrayList<>();
    repositoriesRoot().relativize(repositoryDir).forEach(component -> components.add(component.toString()));
    return String.join("/", components);
  }

  public Path layerLink(RepositoryName repo, Digest digest) {
    return digestDir(repository(repo).resolve("_layers"), digest).resolve("link");
  }

  public Path manifestsDir(RepositoryName repo) {
    return repository(repo).resolve("_manifests");
  }

  public Path revisionsDir(RepositoryName repo) {
    return manifestsDir(repo).resolve("revisions");
  }

  public Path revisionLink(RepositoryName repo, Digest digest) {
    return digestDir(revisionsDir(repo), digest).resolve("link");
  }

  public Path tagsDir(RepositoryName repo) {
    return manifestsDir(repo).resolve("tags");
  }

  public Path tagDir(RepositoryName repo, Tag tag) {
    return tagsDir(repo).resolve(tag.value());
  }

  public Path tagCurrentLink(RepositoryName repo, Tag tag) {
    return tagDir(repo, tag).resolve("current").resolve("link");
  }

  public Path tagIndexLink(RepositoryName repo, Tag tag, Digest digest) {
    return digestDir(tagDir(repo, tag).resolve("index"), digest).resolve("link");
  }

  public Path uploadsDir(RepositoryName repo) {
    return repository(repo).resolve("_uploads");
  }

  public Path uploadDir(RepositoryName repo, UploadId id) {
    return uploadsDir(repo).resolve(id.value());
  }

  public Path uploadData(RepositoryName repo, UploadId id) {
    return uploadDir(repo, id).resolve("data");
  }

  public Path uploadStartedAt(RepositoryName repo, UploadId id) {
    return uploadDir(repo, id).resolve("startedat");
  }

  // ---- Berth-only sidecars

  /** The Content-Type a manifest was pushed with, so it is served back exactly. */
  public Path manifestMediaType(RepositoryName repo, Digest digest) {
    return digestDir(repository(repo).resolve(BERTH_DIR).resolve("manifests"), digest).resolve("mediatype");
  }

  /** One directory per subject; below it one entry per referrer manifest. */
  public Path referrersDir(RepositoryName repo, Digest subject) {
    return digestDir(repository(repo).resolve(BERTH_DIR).resolve("referrers"), subject);
  }

  /** Present once the repository's existing manifests were read into the referrers index. */
  public Path referrersScannedMarker(RepositoryName repo) {
    return repository(repo).resolve(BERTH_DIR).resolve("referrers-indexed");
  }

  public Path referrerEntry(RepositoryName repo, Digest subject, Digest referrer) {
    return digestDir(referrersDir(repo, subject), referrer).resolve("descriptor.json");
  }

  /** When a tag was last pushed or pulled ({@code event}: pushed, pulled), for retention rules. */
  public Path tagActivity(RepositoryName repo, Tag tag, String event) {
    return repository(repo).resolve(BERTH_DIR).resolve("tags").resolve(tag.value()).resolve(event);
  }

  private static Path digestDir(Path base, Digest digest) {
    return base.resolve(digest.algorithm()).resolve(digest.hex());
  }
}
