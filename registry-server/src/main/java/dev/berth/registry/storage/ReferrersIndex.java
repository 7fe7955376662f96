package dev.berth.registry.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's referrers index: for each subject, the descriptors of the manifests that name it, kept under
 * {@code _berth/referrers/<subject>/<referrer>/descriptor.json} so a referrers request reads a handful of small files
 * instead of every manifest. An entry is written after its manifest's revision link and only shown while that link
 * exists, so deletes and crashes never surface a referrer that cannot be pulled.
 */
final class ReferrersIndex {
  private static final Logger LOG = LoggerFactory.getLogger(ReferrersIndex.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** A descriptor with its annotations; a manifest (4 MiB at most) bounds what its annotations can be. */
  private static final int MAX_ENTRY_BYTES = 4 * 1024 * 1024;

  private final StorageLayout layout;
  private final StorageDriver driver;
  private final BlobStore blobs;

  ReferrersIndex(StorageLayout layout, StorageDriver driver, BlobStore blobs) {
    this.layout = layout;
    this.driver = driver;
    this.blobs = blobs;
  }

  /** Indexes {@code manifest} (stored as {@code digest}) under its subject; does nothing without a subject. */
  void add(RepositoryName repo, Digest digest, ParsedManifest manifest, long size) {
    Optional<ParsedManifest.Reference> subject = manifest.subject();
    if (subject.isEmpty()) {
      return;
    }
    Descriptor descriptor = new Descriptor(manifest.kind().mediaType(), digest.toString(), size,
        manifest.referrerArtifactType().orElse(null), manifest.annotations());
    try {
      driver.write(layout.referrerEntry(repo, subject.get().digest(), digest), JSON.writeValueAsBytes(descriptor));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot index referrer " + digest, e);
    }
  }

  void remove(RepositoryName repo, Digest subject, Digest referrer) {
    driver.deleteTree(layout.referrerEntry(repo, subject, referrer).getParent());
  }

  /** The referrers of {@code subject} in {@code repo} whose manifests still exist, ordered by digest. */
  List<Descriptor> list(RepositoryName repo, Digest subject) {
    indexExistingManifestsOnce(repo);
    Path dir = layout.referrersDir(repo, subject);
    List<Descriptor> result = new ArrayList<>();
    for (Path algorithmDir : children(dir)) {
      for (Path entryDir : children(algorithmDir)) {
        read(entryDir.resolve("descriptor.json"), algorithmDir.getFileName() + ":" + entryDir.getFileName())
            .filter(descriptor -> stillStored(repo, descriptor))
            .ifPresent(result::add);
      }
    }
    result.sort(Comparator.comparing(Descriptor::digest));
    return result;
  }

  /**
   * A repository written by registry:2 (or by a Berth older than this index) has manifests with a subject but no
   * entries: the first referrers request reads its manifests once, indexes them, and leaves a marker. Manifests
   * registry:2 stores after that are not seen; Berth's own pushes always index themselves.
   */
  private void indexExistingManifestsOnce(RepositoryName repo) {
    Path marker = layout.referrersScannedMarker(repo);
    if (driver.size(marker).isPresent() || !driver.isDirectory(layout.revisionsDir(repo))) {
      return;
    }
    for (Path algorithmDir : children(layout.revisionsDir(repo))) {
      for (Path revisionDir : children(algorithmDir)) {
        LinkFile.read(driver, revisionDir.resolve("link")).ifPresent(digest -> indexStored(repo, digest));
      }
    }
    driver.write(marker, new byte[0]);
  }

  private void indexStored(RepositoryName repo, Digest digest) {
    byte[] content;
    try {
      content = blobs.read(digest);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + digest, e);
    }
    try {
      add(repo, digest, ManifestParser.parse(ManifestParser.inferMediaType(content), content), content.length);
    } catch (RegistryException e) {
      LOG.debug("not indexing {} in {}: {}", digest, repo, e.getMessage()); // not a manifest Berth understands
    }
  }

  private boolean stillStored(RepositoryName repo, Descriptor descriptor) {
    Digest digest = Digest.parse(descriptor.digest());
    return LinkFile.read(driver, layout.revisionLink(repo, digest)).isPresent();
  }

  /**
   * The entry's descriptor; empty, with a warning, when it is unreadable, torn, or does not describe the manifest its
   * directory names: one bad file must not fail the listing of every other referrer.
   */
  private Optional<Descriptor> read(Path file, String expectedDigest) {
    Descriptor stored;
    try {
      Optional<byte[]> bytes = driver.read(file, MAX_ENTRY_BYTES);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      stored = JSON.readValue(bytes.get(), Descriptor.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable referrers entry {}: {}", file, e.getMessage());
      return Optional.empty();
    }
    if (stored == null || stored.mediaType() == null || !expectedDigest.equals(stored.digest())
        || !parses(stored.digest()) || stored.size() < 0) {
      LOG.warn("ignoring corrupt referrers entry {}: it does not describe {}", file, expectedDigest);
      return Optional.empty();
    }
    // empty annotations are not written (NON_EMPTY); give callers an empty map, never null
    return Optional.of(stored.annotations() != null ? stored
        : new Descriptor(stored.mediaType(), stored.digest(), stored.size(), stored.artifactType(), Map.of()));
  }

  private static boolean parses(String digest) {
    try {
      Digest.parse(digest);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  private List<Path> children(Path dir) {
    List<Path> result = new ArrayList<>();
    for (String name : driver.children(dir)) {
      if (!name.startsWith(DurableFiles.TEMP_PREFIX)) {
        result.add(dir.resolve(name));
      }
    }
    return result;
  }
}
