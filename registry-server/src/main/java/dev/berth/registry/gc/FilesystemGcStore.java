package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import dev.berth.registry.storage.DurableFiles;
import dev.berth.registry.storage.LinkFile;
import dev.berth.registry.storage.RepositoryCatalog;
import dev.berth.registry.storage.StorageLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@link GcStore} on the registry:2 filesystem layout ({@link StorageLayout}); markers are files under
 * {@code <root>/berth/}, outside {@code docker/registry/v2}, so registry:2 never sees them. Markers are written as a
 * temp file renamed into place, without fsync: they order live processes against each other, and after a power loss
 * every process restarts and the collector marks afresh, so nothing depends on a marker surviving a crash.
 */
public final class FilesystemGcStore implements GcStore {
  private final StorageLayout layout;
  private final Path markers;

  public FilesystemGcStore(Path root) {
    this.layout = new StorageLayout(root.toAbsolutePath().normalize());
    this.markers = layout.root().resolve("berth");
  }

  public Path root() {
    return layout.root();
  }

  @Override
  public List<RepositoryName> repositories() {
    return new RepositoryCatalog(layout).scan().stream().map(RepositoryName::parse).toList();
  }

  @Override
  public Map<Tag, Digest> tags(RepositoryName repo) {
    Map<Tag, Digest> tags = new LinkedHashMap<>();
    for (Path dir : children(layout.tagsDir(repo))) {
      Tag tag;
      try {
        tag = Tag.parse(dir.getFileName().toString());
      } catch (RegistryException e) {
        continue; // no client could have pushed it
      }
      LinkFile.read(layout.tagCurrentLink(repo, tag)).ifPresent(digest -> tags.put(tag, digest));
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

  private static List<Stored> links(Path base) {
    List<Stored> result = new ArrayList<>();
    for (Path algorithmDir : children(base)) {
      for (Path digestDir : children(algorithmDir)) {
        Path link = digestDir.resolve("link");
        Optional<Instant> modified = modified(link);
        if (modified.isEmpty()) {
          continue;
        }
        LinkFile.read(link).ifPresent(digest -> result.add(new Stored(digest, modified.get())));
      }
    }
    return result;
  }

  @Override
  public List<Upload> uploads(RepositoryName repo) {
    List<Upload> result = new ArrayList<>();
    for (Path dir : children(layout.uploadsDir(repo))) {
      Optional<Instant> latest = latest(modified(dir), modified(dir.resolve("data")));
      latest = latest(latest, modified(dir.resolve("startedat")));
      latest.ifPresent(modified -> result.add(new Upload(dir.getFileName().toString(), modified)));
    }
    return result;
  }

  @Override
  public void forEachBlob(Consumer<Blob> action) {
    for (Path algorithmDir : children(layout.blobsRoot())) {
      for (Path prefixDir : children(algorithmDir)) {
        for (Path blobDir : children(prefixDir)) {
          Digest digest;
          try {
            digest = Digest.parse(algorithmDir.getFileName() + ":" + blobDir.getFileName());
          } catch (RegistryException e) {
            continue; // not a blob directory
          }
          attributes(layout.blobData(digest))
              .ifPresent(attrs -> action.accept(new Blob(digest, attrs.size(), attrs.lastModifiedTime().toInstant())));
        }
      }
    }
  }

  @Override
  public Optional<Instant> tagPushed(RepositoryName repo, Tag tag) {
    return instantIn(layout.tagActivity(repo, tag, "pushed")).or(() -> modified(layout.tagCurrentLink(repo, tag)));
  }

  @Override
  public Optional<Instant> tagPulled(RepositoryName repo, Tag tag) {
    return instantIn(layout.tagActivity(repo, tag, "pulled"));
  }

  private static Optional<Instant> instantIn(Path file) {
    try {
      return Optional.of(Instant.parse(Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return Optional.empty(); // torn or hand-edited: treated as unknown, which keeps no tag by this rule
    }
  }

  @Override
  public Optional<byte[]> readManifest(Digest digest) {
    Path data = layout.blobData(digest);
    try {
      long size = Files.size(data);
      if (size > ManifestParser.MAX_MANIFEST_BYTES) {
        throw new IllegalStateException(digest + " is " + size + " bytes, too large to be a manifest");
      }
      return Optional.of(Files.readAllBytes(data));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + digest, e);
    }
  }

  @Override
  public boolean deleteBlob(Digest digest) {
    return removeTree(layout.blobDir(digest), layout.blobData(digest));
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
    if (!Files.exists(link)) {
      return false;
    }
    Optional<Digest> subject = subjectOf(digest);
    // the revision link first: from then on no reader sees the manifest; the rest is its bookkeeping
    boolean removed = removeTree(link.getParent(), link);
    for (Path tagDir : children(layout.tagsDir(repo))) {
      DurableFiles.deleteTree(tagDir.resolve("index").resolve(digest.algorithm()).resolve(digest.hex()));
    }
    DurableFiles.deleteTree(layout.manifestMediaType(repo, digest).getParent());
    subject.ifPresent(s -> DurableFiles.deleteTree(layout.referrerEntry(repo, s, digest).getParent()));
    return removed;
  }

  @Override
  public boolean deleteTag(RepositoryName repo, Tag tag, Digest expected) {
    Path current = layout.tagCurrentLink(repo, tag);
    if (!LinkFile.read(current).equals(Optional.of(expected))) {
      return false;
    }
    try {
      Files.deleteIfExists(current);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove tag " + tag + " of " + repo, e);
    }
    DurableFiles.deleteTree(layout.tagDir(repo, tag));
    return true;
  }

  @Override
  public boolean deleteUpload(RepositoryName repo, String uploadId) {
    Path dir = layout.uploadsDir(repo).resolve(uploadId);
    if (!uploadId.matches("[A-Za-z0-9_-]+") || !Files.isDirectory(dir)) {
      return false;
    }
    DurableFiles.deleteTree(dir);
    return true;
  }

  // ---- markers

  @Override
  public Instant putMarker(String key, byte[] content) {
    Path target = markerPath(key);
    Path temp = writeTemp(target, content);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return Files.getLastModifiedTime(target).toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write marker " + key, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public boolean createMarker(String key, byte[] content) {
    Path target = markerPath(key);
    Path temp = writeTemp(target, content);
    try {
      Files.createLink(target, temp); // link(2) fails when the name exists: an atomic create-if-absent
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create marker " + key, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public List<Marker> listMarkers(String prefix) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a marker prefix ends with /: " + prefix);
    }
    List<Marker> result = new ArrayList<>();
    Path dir = markerPath(prefix.substring(0, prefix.length() - 1));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (DurableFiles.isTemp(entry)) {
          continue;
        }
        modified(entry).ifPresent(modified -> result.add(new Marker(prefix + entry.getFileName(), modified)));
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list markers " + prefix, e);
    }
    return result;
  }

  @Override
  public Optional<byte[]> readMarker(String key) {
    try {
      return Optional.of(Files.readAllBytes(markerPath(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read marker " + key, e);
    }
  }

  @Override
  public void deleteMarker(String key) {
    try {
      Files.deleteIfExists(markerPath(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete marker " + key, e);
    }
  }

  private Path markerPath(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.contains("..") || !key.matches("[A-Za-z0-9._/:@-]+")) {
      throw new IllegalArgumentException("not a marker key: " + key);
    }
    return markers.resolve(key);
  }

  private static Path writeTemp(Path target, byte[] content) {
    try {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
      Files.write(temp, content);
      return temp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write marker " + target.getFileName(), e);
    }
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
  private static boolean removeTree(Path dir, Path witness) {
    boolean existed = Files.exists(witness);
    DurableFiles.deleteTree(dir);
    return existed;
  }

  private static Optional<BasicFileAttributes> attributes(Path path) {
    try {
      return Optional.of(Files.readAttributes(path, BasicFileAttributes.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path, e);
    }
  }

  private static Optional<Instant> modified(Path path) {
    return attributes(path).map(attrs -> attrs.lastModifiedTime().toInstant());
  }

  private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.filter(x -> x.isAfter(a.get())).or(() -> a);
  }

  private static List<Path> children(Path dir) {
    List<Path> result = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (!DurableFiles.isTemp(entry) && Files.isDirectory(entry)) {
          result.add(entry);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return result;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover temp file is swept with the markers' directory
    }
  }
}
