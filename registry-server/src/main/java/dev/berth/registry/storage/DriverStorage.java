package dev.berth.registry.storage;

import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry logic in the CNCF distribution layout, on any {@link StorageDriver}: links, manifests, tags,
 * referrers and the catalog are the same code on every medium; only the driver and the upload area differ
 * ({@link FilesystemStorage}, {@link S3Storage}). Safe for concurrent use by many request threads.
 */
public abstract class DriverStorage implements RegistryStorage, AutoCloseable {
  /** Builds a medium's upload area once the shared parts exist. */
  interface UploadAreaFactory {
    UploadArea create(StorageLayout layout, BlobStore blobs, Consumer<RepositoryName> linked);
  }

  final StorageLayout layout;
  final StorageDriver driver;
  private final TimedDriver timed;
  final BlobStore blobs;
  private final UploadArea uploads;
  private final ManifestStore manifests;
  private final ReferrersIndex referrers;
  private final RepositoryIndex catalog;
  private final ReferenceFence fence;
  private final TagActivity activity;

  /**
   * @param fence orders this storage's new references against a garbage collector on the same root, in this process
   *              or another (see {@link ReferenceFence}); {@link ReferenceFence#NONE} when none ever runs. The upload
   *              area must publish its blobs through the same fence.
   */
  DriverStorage(StorageLayout layout, StorageDriver medium, Clock clock, Duration listingsRefresh,
      ReferenceFence fence, UploadAreaFactory uploadArea) {
    this.layout = layout;
    this.timed = new TimedDriver(medium, medium instanceof S3Driver ? "s3aws" : "filesystem");
    this.driver = timed; // everything below goes through the timed driver
    this.fence = fence;
    this.blobs = new BlobStore(layout, driver);
    this.catalog = new RepositoryIndex(new RepositoryCatalog(layout, driver));
    this.uploads = uploadArea.create(layout, blobs, catalog::added);
    this.referrers = new ReferrersIndex(layout, driver, blobs);
    this.activity = new TagActivity(layout, driver, clock);
    this.manifests = new ManifestStore(layout, driver, blobs, referrers, new TagListCache(clock, listingsRefresh),
        fence, activity);
  }

  /** This storage's files below the registry API, for garbage collection on the same medium. */
  public StorageFiles files() {
    return new StorageFiles(layout, driver);
  }

  /** Times this storage's driver calls into {@code metrics} from now on; set once at start, before serving. */
  public void measure(dev.berth.registry.metrics.RegistryMetrics metrics) {
    timed.measure(metrics);
  }

  // ---- blobs

  @Override
  public Optional<BlobInfo> blob(RepositoryName repo, Digest digest) {
    if (LinkFile.read(driver, layout.layerLink(repo, digest)).isEmpty()) {
      return Optional.empty();
    }
    return blobs.size(digest).map(size -> new BlobInfo(digest, size));
  }

  @Override
  public OpenBlob openBlob(RepositoryName repo, Digest digest) {
    if (LinkFile.read(driver, layout.layerLink(repo, digest)).isEmpty()) {
      throw blobUnknown(repo, digest);
    }
    try {
      return blobs.open(digest);
    } catch (NoSuchFileException e) {
      throw blobUnknown(repo, digest);
    }
  }

  @Override
  public boolean mountBlob(RepositoryName to, RepositoryName from, Digest digest) {
    // In the fence, so the source blob cannot be collected between the check and the new link; if it was, the
    // client is told to upload instead (202), as for any blob the source lacks.
    boolean mounted = fence.referencing(NewReferences.blob(to, digest), () -> {
      if (blob(from, digest).isEmpty()) {
        return false;
      }
      LinkFile.write(driver, layout.layerLink(to, digest), digest);
      return true;
    });
    if (mounted) {
      catalog.added(to);
    }
    return mounted;
  }

  @Override
  public void deleteBlob(RepositoryName repo, Digest digest) {
    Path link = layout.layerLink(repo, digest);
    if (LinkFile.read(driver, link).isEmpty()) {
      throw blobUnknown(repo, digest);
    }
    driver.deleteTree(link.getParent());
  }

  @Override
  public Optional<java.time.Instant> tagPushed(RepositoryName repo, dev.berth.registry.oci.Tag tag) {
    return activity.lastPushed(repo, tag);
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

  UploadArea uploads() {
    return uploads;
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
    return driver.isWritable(layout.v2());
  }

  // ---- maintenance

  /**
   * Re-reads the catalog from storage, so repositories another writer on this root created (or removed) are listed;
   * this server's own writes are listed at once without it. Tag lists need no call: they follow their directory's
   * version and expire after the refresh interval.
   */
  public void refreshListings() {
    catalog.refresh();
  }

  /**
   * Removes what interrupted work left behind (uploads older than {@code uploadMaxAge}, temp files older than
   * {@code tempMaxAge}). Safe to run while serving; call it periodically from one thread.
   */
  public abstract StaleFileSweeper.Result sweepStale(Duration uploadMaxAge, Duration tempMaxAge);

  /** Releases the medium's client (connections); a no-op on the filesystem. */
  @Override
  public void close() {}

  static RegistryException blobUnknown(RepositoryName repo, Digest digest) {
    return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is unknown in " + repo,
        Map.of("digest", digest.toString()));
  }
}
