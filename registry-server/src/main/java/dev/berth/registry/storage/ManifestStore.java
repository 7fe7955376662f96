package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestKind;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manifests and tags in the registry:2 layout. A put writes, in this order, each step atomic: the manifest bytes as
 * a blob, the pushed Content-Type (Berth sidecar), the revision link, the referrers entry, then the tag's index link
 * and finally its current link. A crash between steps leaves at worst an unreferenced blob or an untagged manifest;
 * a tag never points at a manifest that is not fully stored.
 */
final class ManifestStore {
  private final StorageLayout layout;
  private final StorageDriver driver;
  private final BlobStore blobs;
  private final ReferrersIndex referrers;
  // Always taken in this order (a revision, then its tags), from separate stripes, so they cannot deadlock. They keep
  // a delete by digest and a push of the same manifest from leaving a tag on a deleted revision.
  private final RepositoryLocks revisionLocks = new RepositoryLocks();
  private final RepositoryLocks tagLocks = new RepositoryLocks();
  /** Manifests are pulled far more often than pushed; this spares the disk read of their bytes. */
  private final ManifestCache cache = new ManifestCache(32L * 1024 * 1024);
  private final TagListCache tagLists;
  private final ReferenceFence fence;
  private final TagActivity activity;

  ManifestStore(StorageLayout layout, StorageDriver driver, BlobStore blobs, ReferrersIndex referrers,
      TagListCache tagLists, ReferenceFence fence, TagActivity activity) {
    this.layout = layout;
    this.driver = driver;
    this.fence = fence;
    this.activity = activity;
    this.blobs = blobs;
    this.referrers = referrers;
    this.tagLists = tagLists;
  }

  ManifestPutResult put(RepositoryName repo, String reference, String contentType, byte[] content) {
    return put(repo, reference, contentType, content, true);
  }

  /** {@code requireReferences} false: a pull-through cache entry, whose blobs arrive when they are first pulled. */
  ManifestPutResult put(RepositoryName repo, String reference, String contentType, byte[] content,
      boolean requireReferences) {
    Reference target = Reference.parse(reference);
    ParsedManifest manifest = ManifestParser.parse(contentType, content);
    Digest digest = target.digest()
        .map(expected -> verified(expected, content))
        .orElseGet(() -> Digest.sha256(content));
    Set<Digest> referenced = new LinkedHashSet<>(manifest.requiredBlobs());
    referenced.addAll(manifest.requiredManifests());
    referenced.add(digest);
    // Inside the fence: a collector cannot delete a blob between the checks below and the links that follow.
    return fence.referencing(new NewReferences(repo, referenced, target.tag()),
        () -> commit(repo, target, contentType, content, manifest, digest, requireReferences));
  }

  private ManifestPutResult commit(RepositoryName repo, Reference target, String contentType, byte[] content,
      ParsedManifest manifest, Digest digest, boolean requireReferences) {
    for (Digest blob : requireReferences ? manifest.requiredBlobs() : List.<Digest>of()) {
      if (!blobLinked(repo, blob)) {
        throw blobUnknown(blob, "blob");
      }
    }
    for (Digest child : requireReferences ? manifest.requiredManifests() : List.<Digest>of()) {
      if (!manifestStored(repo, child)) {
        throw blobUnknown(child, "manifest");
      }
    }
    blobs.storeBytes(digest, content);
    cache.put(digest, content);
    byte[] recordedType = mediaTypeToRecord(contentType, manifest.kind()).getBytes(StandardCharsets.UTF_8);
    revisionLocks.withLock(revisionKey(repo, digest), () -> {
      // under the revision's lock: a delete by digest in between would otherwise remove the sidecar just written
      // and leave the revision link that follows without its Content-Type
      driver.write(layout.manifestMediaType(repo, digest), recordedType);
      LinkFile.write(driver, layout.revisionLink(repo, digest), digest);
      referrers.add(repo, digest, manifest, content.length);
      target.tag().ifPresent(tag -> tagLocks.withLock(tagKey(repo, tag), () -> {
        LinkFile.write(driver, layout.tagIndexLink(repo, tag, digest), digest);
        LinkFile.write(driver, layout.tagCurrentLink(repo, tag), digest);
        activity.pushed(repo, tag);
        tagLists.invalidate(layout.tagsDir(repo));
        return null;
      }));
      return null;
    });
    return new ManifestPutResult(digest, manifest.subject().map(ParsedManifest.Reference::digest));
  }

  Optional<StoredManifest> get(RepositoryName repo, String reference) {
    Reference target = Reference.parse(reference);
    Optional<Digest> digest = target.digest().or(() -> target.tag().flatMap(tag -> currentDigest(repo, tag)));
    if (digest.isEmpty() || !manifestRevisionExists(repo, digest.get())) {
      return Optional.empty();
    }
    Optional<byte[]> cached = cache.get(digest.get());
    byte[] content;
    if (cached.isPresent()) {
      content = cached.get();
    } else {
      try {
        content = blobs.read(digest.get());
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read manifest " + digest.get(), e);
      }
      cache.put(digest.get(), content);
    }
    String mediaType = recordedMediaType(repo, digest.get()).orElseGet(() -> ManifestParser.inferMediaType(content));
    target.tag().ifPresent(tag -> activity.pulled(repo, tag));
    return Optional.of(new StoredManifest(digest.get(), mediaType, content));
  }

  void delete(RepositoryName repo, String reference) {
    Reference target = Reference.parse(reference);
    if (target.tag().isPresent()) {
      Tag tag = target.tag().get();
      boolean removed = tagLocks.withLock(tagKey(repo, tag), () -> untag(repo, tag, Optional.empty()));
      tagLists.invalidate(layout.tagsDir(repo));
      if (!removed) {
        throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "tag " + tag + " is unknown in " + repo);
      }
      return;
    }
    Digest digest = target.digest().orElseThrow();
    revisionLocks.withLock(revisionKey(repo, digest), () -> {
      if (!manifestRevisionExists(repo, digest)) {
        throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " is unknown in " + repo);
      }
      for (Tag tag : tagDirectories(repo)) {
        tagLocks.withLock(tagKey(repo, tag), () -> untag(repo, tag, Optional.of(digest)));
      }
      Optional<Digest> subject = subjectOf(digest);
      driver.deleteTree(layout.revisionLink(repo, digest).getParent());
      driver.deleteTree(layout.manifestMediaType(repo, digest).getParent());
      subject.ifPresent(s -> referrers.remove(repo, s, digest));
      tagLists.invalidate(layout.tagsDir(repo));
      return null;
    });
  }

  List<String> tags(RepositoryName repo) {
    if (!driver.isDirectory(layout.manifestsDir(repo))) {
      throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " is not known", Map.of("name", repo.value()));
    }
    TagListCache.Listing listing = tagLists.get(driver, layout.tagsDir(repo), dir -> readTags(repo));
    if (listing.pending().isEmpty()) {
      return listing.complete();
    }
    // tag directories seen without a current link: a crash leftover, or another writer half-way through a push
    List<String> tags = new ArrayList<>(listing.complete());
    for (String pending : listing.pending()) {
      if (currentDigest(repo, Tag.parse(pending)).isPresent()) {
        tags.add(pending);
      }
    }
    tags.sort(null);
    return tags;
  }

  private TagListCache.Listing readTags(RepositoryName repo) {
    List<String> complete = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (Tag tag : tagDirectories(repo)) {
      (currentDigest(repo, tag).isPresent() ? complete : pending).add(tag.value());
    }
    return TagListCache.listing(complete, pending);
  }

  boolean manifestStored(RepositoryName repo, Digest digest) {
    return manifestRevisionExists(repo, digest) && blobs.exists(digest);
  }

  private boolean blobLinked(RepositoryName repo, Digest digest) {
    return LinkFile.read(driver, layout.layerLink(repo, digest)).isPresent() && blobs.exists(digest);
  }

  private boolean manifestRevisionExists(RepositoryName repo, Digest digest) {
    return LinkFile.read(driver, layout.revisionLink(repo, digest)).isPresent();
  }

  private Optional<Digest> currentDigest(RepositoryName repo, Tag tag) {
    return LinkFile.read(driver, layout.tagCurrentLink(repo, tag));
  }

  /** Removes the tag when it exists (and, if {@code onlyIf} is given, points there): current link first, then the rest. */
  private boolean untag(RepositoryName repo, Tag tag, Optional<Digest> onlyIf) {
    Optional<Digest> current = currentDigest(repo, tag);
    if (current.isEmpty() || (onlyIf.isPresent() && !onlyIf.equals(current))) {
      return false;
    }
    driver.deleteTree(layout.tagCurrentLink(repo, tag));
    driver.deleteTree(layout.tagDir(repo, tag));
    return true;
  }

  private List<Tag> tagDirectories(RepositoryName repo) {
    List<Tag> tags = new ArrayList<>();
    for (String name : driver.children(layout.tagsDir(repo))) {
      try {
        tags.add(Tag.parse(name));
      } catch (RegistryException e) {
        // not a tag any client could have pushed (a temp file, a stray name); ignore it
      }
    }
    return tags;
  }

  private Optional<String> recordedMediaType(RepositoryName repo, Digest digest) {
    try {
      return driver.read(layout.manifestMediaType(repo, digest), 1024)
          .map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim())
          .filter(recorded -> !recorded.isEmpty());
    } catch (StorageDriver.TooLargeException e) {
      return Optional.empty(); // not a media type; infer it from the manifest
    }
  }

  private Optional<Digest> subjectOf(Digest digest) {
    try {
      byte[] content = blobs.read(digest);
      return ManifestParser.parse(ManifestParser.inferMediaType(content), content).subject()
          .map(ParsedManifest.Reference::digest);
    } catch (IOException | RegistryException e) {
      return Optional.empty(); // unreadable: no index entry to clean; listing skips missing revisions anyway
    }
  }

  /**
   * The Content-Type to serve back: exactly as pushed when it names the manifest's kind (parameters and all), else
   * the kind's own media type, since a generic type such as application/json would confuse pulling clients.
   */
  private static String mediaTypeToRecord(String contentType, ManifestKind kind) {
    return ManifestKind.ofMediaType(contentType).filter(k -> k == kind).isPresent() ? contentType.trim() : kind.mediaType();
  }

  private static Digest verified(Digest expected, byte[] content) {
    Digest actual = Digest.of(expected.algorithm(), content);
    if (!actual.equals(expected)) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID,
          "manifest has digest " + actual + ", not " + expected, Map.of("digest", expected.toString()));
    }
    return actual;
  }

  private static RegistryException blobUnknown(Digest digest, String what) {
    return new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "manifest references " + what + " " + digest + " unknown to this repository", Map.of("digest", digest.toString()));
  }

  private static String revisionKey(RepositoryName repo, Digest digest) {
    return repo.value() + "@" + digest;
  }

  private static String tagKey(RepositoryName repo, Tag tag) {
    return repo.value() + ":" + tag.value();
  }

  /** A manifest reference: a digest, or else a tag. */
  private record Reference(Optional<Digest> digest, Optional<Tag> tag) {
    static Reference parse(String reference) {
      if (Digest.looksLikeDigest(reference)) {
        return new Reference(Optional.of(Digest.parse(reference)), Optional.empty());
      }
      return new Reference(Optional.empty(), Optional.of(Tag.parse(reference)));
    }
  }
}
