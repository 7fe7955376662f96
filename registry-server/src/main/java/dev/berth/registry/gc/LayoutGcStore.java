package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import dev.berth.registry.storage.StorageFiles;
import dev.berth.registry.storage.StorageLayout;
import dev.berth.registry.storage.StoredFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link GcStore} on the registry:2 layout ({@link StorageLayout}) of any medium ({@link StorageFiles}: a directory or
 * an S3 bucket). Markers are files under {@code <root>/berth/} (S3: {@code <rootdirectory>/berth/}), outside
 * {@code docker/registry/v2}, so registry:2 never sees them. Listings name digests by their path, as registry:2's
 * collector does, so a bucket costs one LIST per thousand links, not a GET per link. Nothing depends on a marker
 * surviving a crash: after one every process restarts and the collector marks afresh.
 */
public final class LayoutGcStore implements GcStore {
  private static final int MAX_SIDECAR_BYTES = 256;

  private final StorageFiles files;
  private final StorageLayout layout;
  private final Path markers;

  public LayoutGcStore(StorageFiles files) {
    this.files = files;
    this.layout = files.layout();
    this.markers = layout.root().resolve("berth");
  }

  /** The store of a local root (the directory holding {@code docker/registry/v2}). */
  public static LayoutGcStore filesystem(Path root) {
    return new LayoutGcStore(StorageFiles.filesystem(root));
  }

  @Override
  public List<RepositoryName> repositories() {
    return files.repositories();
  }

  @Override
  public Map<Tag, Digest> tags(RepositoryName repo) {
    Map<Tag, Digest> tags = new LinkedHashMap<>();
    for (String name : files.children(layout.tagsDir(repo))) {
      Tag tag;
      try {
        tag = Tag.parse(name);
      } catch (RegistryException e) {
        continue; // no client could have pushed it
      }
      files.link(layout.tagCurrentLink(repo, tag)).ifPresent(digest -> tags.put(tag, digest));
    }
    return tags;
  }

  @Override
  public List<Stored> revisions(RepositoryName repo) {
    return links(layout.revisionsDir(repo));
  }

  @Override
  public List<Stored> layerLinks(RepositoryName repo) {
    return links(layout.repository(repo).resolve("_layers"));
  }

  /** {@code <base>/<algorithm>/<hex>/link} files, each naming the digest of its path. */
  private List<Stored> links(Path base) {
    List<Stored> result = new ArrayList<>();
    files.forEachFileBelow(base, file -> digestAt(base, file.path(), "link")
        .ifPresent(digest -> result.add(new Stored(digest, file.modified()))));
    return result;
  }

  @Override
  public List<Upload> uploads(RepositoryName repo) {
    Path base = layout.uploadsDir(repo);
    Map<String, Instant> latest = new LinkedHashMap<>();
    // the later of its start and last write: the newest file in it (and on a filesystem the directory itself)
    files.forEachFileBelow(base, file -> {
      Path relative = base.relativize(file.path());
      if (relative.getNameCount() >= 2) {
        latest.merge(relative.getName(0).toString(), file.modified(), LayoutGcStore::later);
      }
    });
    for (String id : files.children(base)) {
      files.stat(base.resolve(id)).ifPresent(dir -> latest.merge(id, dir.modified(), LayoutGcStore::later));
    }
    List<Upload> result = new ArrayList<>();
    latest.forEach((id, modified) -> result.add(new Upload(id, modified)));
    return result;
  }

  @Override
  public void forEachBlob(Consumer<Blob> action) {
    Path base = layout.blobsRoot();
    files.forEachFileBelow(base, file -> blobAt(base, file)
        .ifPresent(digest -> action.accept(new Blob(digest, file.size(), file.modified()))));
  }

  /** {@code <base>/<algorithm>/<2 hex>/<hex>/data}: the digest, when the path is one. */
  private static Optional<Digest> blobAt(Path base, StoredFile file) {
    Path relative = base.relativize(file.path());
    if (relative.getNameCount() != 4 || !relative.getName(3).toString().equals("data")) {
      return Optional.empty();
    }
    return digest(relative.getName(0).toString(), relative.getName(2).toString());
  }

  /** {@code <base>/<algorithm>/<hex>/<file>}: the digest, when the path is one. */
  private static Optional<Digest> digestAt(Path base, Path path, String fileName) {
    Path relative = base.relativize(path);
    if (relative.getNameCount() != 3 || !relative.getName(2).toString().equals(fileName)) {
      return Optional.empty();
    }
    return digest(relative.getName(0).toString(), relative.getName(1).toString());
  }

  private static Optional<Digest> digest(String algorithm, String hex) {
    try {
      return Optional.of(Digest.parse(algorithm + ":" + hex));
    } catch (RegistryException e) {
      return Optional.empty(); // not a digest directory
    }
  }

  @Override
  public Optional<Instant> tagPushed(RepositoryName repo, Tag tag) {
    return instantIn(layout.tagActivity(repo, tag, "pushed"))
        .or(() -> files.stat(layout.tagCurrentLink(repo, tag)).map(StoredFile::modified));
  }

  @Override
  public Optional<Instant> tagPulled(RepositoryName repo, Tag tag) {
    return instantIn(layout.tagActivity(repo, tag, "pulled"));
  }

  private Optional<Instant> instantIn(Path file) {
    try {
      return files.read(file, MAX_SIDECAR_BYTES)
          .map(bytes -> Instant.parse(new String(bytes, StandardCharsets.US_ASCII).strip()));
    } catch (IllegalStateException | DateTimeParseException e) {
      return Optional.empty(); // torn or hand-edited: treated as unknown, which keeps no tag by this rule
    }
  }

  @Override
  public Optional<byte[]> readManifest(Digest digest) {
    try {
      return files.read(layout.blobData(digest), ManifestParser.MAX_MANIFEST_BYTES);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(digest + " is too large to be a manifest", e);
    }
  }

  @Override
  public boolean deleteBlob(Digest digest) {
    return removeTree(layout.blobDir(digest), layout.blobData(digest));
  }

  @Override
  public void deleteBlobs(List<Digest> digests) {
    files.deleteFiles(digests.stream().map(layout::blobData).toList());
  }

  @Override
  public boolean deleteLayerLink(RepositoryName repo, Digest digest) {
    Path link = layout.layerLink(repo, digest);
    return removeTree(link.getParent(), link);
  }

  @Override
  public boolean deleteRevision(RepositoryName repo, Digest digest) {
    Map<Tag, Digest> tags = tags(repo);
    if (tags.containsValue(digest)) {
      return false;
    }
    Path link = layout.revisionLink(repo, digest);
    if (files.stat(link).isEmpty()) {
      return false;
    }
    Optional<Digest> subject = subjectOf(digest);
    // the revision link first: from then on no reader sees the manifest; the rest is its bookkeeping
    boolean removed = removeTree(link.getParent(), link);
    for (String tag : files.children(layout.tagsDir(repo))) {
      files.deleteTree(layout.tagsDir(repo).resolve(tag).resolve("index").resolve(digest.algorithm())
          .resolve(digest.hex()));
    }
    files.deleteTree(layout.manifestMediaType(repo, digest).getParent());
    subject.ifPresent(s -> files.deleteTree(layout.referrerEntry(repo, s, digest).getParent()));
    return removed;
  }

  @Override
  public boolean deleteTag(RepositoryName repo, Tag tag, Digest expected) {
    Path current = layout.tagCurrentLink(repo, tag);
    if (!files.link(current).equals(Optional.of(expected))) {
      return false;
    }
    files.deleteTree(current);
    files.deleteTree(layout.tagDir(repo, tag));
    return true;
  }

  @Override
  public boolean deleteUpload(RepositoryName repo, String uploadId) {
    Path dir = layout.uploadsDir(repo).resolve(uploadId);
    if (!uploadId.matches("[A-Za-z0-9_-]+") || !files.children(layout.uploadsDir(repo)).contains(uploadId)) {
      return false;
    }
    files.discardUpload(dir);
    return true;
  }

  @Override
  public Duration mtimeStep() {
    return files.mtimeStep();
  }

  // ---- markers

  @Override
  public Instant putMarker(String key, byte[] content) {
    return files.write(markerPath(key), content);
  }

  @Override
  public boolean createMarker(String key, byte[] content) {
    return files.createIfAbsent(markerPath(key), content);
  }

  @Override
  public List<Marker> listMarkers(String prefix) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a marker prefix ends with /: " + prefix);
    }
    Path dir = markerPath(prefix.substring(0, prefix.length() - 1));
    return files.files(dir).stream().map(file -> new Marker(prefix + file.path().getFileName(), file.modified()))
        .toList();
  }

  @Override
  public Optional<byte[]> readMarker(String key) {
    return files.read(markerPath(key), Integer.MAX_VALUE - 8);
  }

  @Override
  public void deleteMarker(String key) {
    files.deleteTree(markerPath(key));
  }

  private Path markerPath(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.contains("..") || !key.matches("[A-Za-z0-9._/:@-]+")) {
      throw new IllegalArgumentException("not a marker key: " + key);
    }
    return markers.resolve(key);
  }

  // ---- helpers

  private Optional<Digest> subjectOf(Digest digest) {
    try {
      return readManifest(digest).flatMap(content -> ManifestParser.parse(ManifestParser.inferMediaType(content), content)
          .subject().map(ParsedManifest.Reference::digest));
    } catch (RegistryException | IllegalStateException e) {
      return Optional.empty(); // not a manifest Berth indexed: there is no referrers entry to remove
    }
  }

  /** Deletes {@code dir}; true when {@code witness} (the file that makes it count) existed before. */
  private boolean removeTree(Path dir, Path witness) {
    boolean existed = files.stat(witness).isPresent();
    files.deleteTree(dir);
    return existed;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
