package dev.berth.registry.storage;

import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RegistryStorage} on a local directory in the CNCF distribution layout: point it at a registry:2
 * {@code rootdirectory} and every image there is served, and registry:2 can serve what Berth stored. Safe for
 * concurrent use by many request threads.
 */
public final class FilesystemStorage implements RegistryStorage {
  private final StorageLayout layout;
  private final BlobStore blobs;
  private final UploadStore uploads;
  private final ManifestStore manifests;
  private final ReferrersIndex referrers;
  private final RepositoryIndex catalog;
  private final StaleFileSweeper sweeper;

  /** @param root the distribution {@code storage.filesystem.rootdirectory}; it holds {@code docker/registry/v2}. */
  public FilesystemStorage(Path root) {
    this(root, Clock.systemUTC(), ListingRefresher.DEFAULT_INTERVAL);
  }

  /**
   * @param listingsRefresh how long another writer's changes to the catalog and tag lists may stay unseen; the
   *                        catalog is re-read from disk by {@link #refreshListings} (see {@link ListingRefresher})
   */
  public FilesystemStorage(Path root, Duration listingsRefresh) {
    this(root, Clock.systemUTC(), listingsRefresh);
  }

  FilesystemStorage(Path root, Clock clock) {
    this(root, clock, ListingRefresher.DEFAULT_INTERVAL);
  }

  FilesystemStorage(Path root, Clock clock, Duration listingsRefresh) {
    this.layout = new StorageLayout(root.toAbsolutePath().normalize());
    this.blobs = new BlobStore(layout);
    this.catalog = new RepositoryIndex(new RepositoryCatalog(layout));
    this.uploads = new UploadStore(layout, blobs, clock, catalog::added);
    this.referrers = new ReferrersIndex(layout, blobs);
    this.manifests = new ManifestStore(layout, blobs, referrers, new TagListCache(clock, listingsRefresh));
    this.sweeper = new StaleFileSweeper(layout, uploads);
  }

  public Path root() {
    return layout.root();
  }

  // ---- blobs

  @Override
  public Optional<BlobInfo> blob(RepositoryName repo, Digest digest) {
    if (LinkFile.read(layout.layerLink(repo, digest)).isEmpty()) {
      return Optional.empty();
    }
    return blobs.size(digest).map(size -> new BlobInfo(digest, size));
  }

  @Override
  public OpenBlob openBlob(RepositoryName repo, Digest digest) {
    if (LinkFile.read(layout.layerLink(repo, digest)).isEmpty()) {
      throw blobUnknown(repo, digest);
    }
    FileChannel channel;
    try {
      channel = blobs.open(digest);
    } catch (NoSuchFileException e) {
      throw blobUnknown(repo, digest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob " + digest, e);
    }
    try {
      return new OpenBlob(new BlobInfo(digest, channel.size()), channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot open blob " + digest, e);
    }
  }

  @Override
  public boolean mountBlob(RepositoryName to, RepositoryName from, Digest digest) {
    if (blob(from, digest).isEmpty()) {
      return false;
    }
    LinkFile.write(layout.layerLink(to, digest), digest);
    catalog.added(to);
    return true;
  }

  @Override
  public void deleteBlob(RepositoryName repo, Digest digest) {
    Path link = layout.layerLink(repo, digest);
    if (LinkFile.read(link).isEmpty()) {
      throw blobUnknown(repo, digest);
    }
    DurableFiles.deleteTree(link.getParent());
  }

  // ---- uploads

  @Override
  public UploadSession startUpload(RepositoryName repo) {
    return uploads.start(repo);
  }

  @Override
  public UploadSession upload(RepositoryName repo, String uploadId) {
    return uploads.find(repo, uploadId);
  }

  // ---- manifests

  @Override
  public ManifestPutResult putManifest(RepositoryName repo, String reference, String contentType, byte[] content) {
    ManifestPutResult result = manifests.put(repo, reference, contentType, content);
    catalog.added(repo);
    return result;
  }

  @Override
  public ManifestPutResult putCachedManifest(RepositoryName repo, String reference, String contentType, byte[] content) {
    ManifestPutResult result = manifests.put(repo, reference, contentType, content, false);
    catalog.added(repo);
    return result;
  }

  @Override
  public Optional<StoredManifest> manifest(RepositoryName repo, String reference) {
    return manifests.get(repo, reference);
  }

  @Override
  public void deleteManifest(RepositoryName repo, String reference) {
    manifests.delete(repo, reference);
  }

  // ---- listings

  @Override
  public List<String> tags(RepositoryName repo) {
    return manifests.tags(repo);
  }

  @Override
  public List<String> repositories(String last, int limit) {
    return catalog.list(last, limit);
  }

  @Override
  public List<Descriptor> referrers(RepositoryName repo, Digest subject) {
    return referrers.list(repo, subject);
  }

  @Override
  public boolean isWritable() {
    Path probe = layout.v2().resolve(DurableFiles.TEMP_PREFIX + "probe-" + UUID.randomUUID());
    try {
      DurableFiles.ensureDirectory(layout.v2());
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  // ---- maintenance

  /**
   * Re-reads the catalog from disk, so repositories another writer on this root created (or removed) are listed;
   * this server's own writes are listed at once without it. Tag lists need no call: they follow their directory's
   * mtime and expire after the refresh interval.
   */
  public void refreshListings() {
    catalog.refresh();
  }

  /**
   * Removes what interrupted work left behind: uploads started more than {@code uploadMaxAge} ago (registry:2 purges
   * after a week) and temp files older than {@code tempMaxAge}; also releases file handles of idle uploads. Safe to run
   * while serving; call it periodically from one thread.
   */
  public StaleFileSweeper.Result sweepStale(Duration uploadMaxAge, Duration tempMaxAge) {
    return sweeper.sweep(uploadMaxAge, tempMaxAge);
  }

  private static RegistryException blobUnknown(RepositoryName repo, Digest digest) {
    return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is unknown in " + repo,
        Map.of("digest", digest.toString()));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a read-only channel after a failure; nothing to save
    }
  }
}
