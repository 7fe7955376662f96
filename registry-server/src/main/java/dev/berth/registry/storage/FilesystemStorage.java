package dev.berth.registry.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@link RegistryStorage} on a local directory in the CNCF distribution layout: point it at a registry:2
 * {@code rootdirectory} and every image there is served, and registry:2 can serve what Berth stored. Blobs download
 * zero-copy (sendfile). Safe for concurrent use by many request threads.
 */
public final class FilesystemStorage extends DriverStorage {
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

  /**
   * @param fence orders this storage's new references against a garbage collector on the same root, in this process
   *              or another (see {@link ReferenceFence}); {@link ReferenceFence#NONE} when none ever runs
   */
  public FilesystemStorage(Path root, Duration listingsRefresh, ReferenceFence fence) {
    this(root, Clock.systemUTC(), listingsRefresh, fence);
  }

  FilesystemStorage(Path root, Clock clock, Duration listingsRefresh) {
    this(root, clock, listingsRefresh, ReferenceFence.NONE);
  }

  /** @param clock the time recorded for uploads and for tag pushes and pulls (retention rules) */
  public FilesystemStorage(Path root, Clock clock, Duration listingsRefresh, ReferenceFence fence) {
    this(new StorageLayout(root.toAbsolutePath().normalize()), FilesystemDriver.LOCAL, clock, listingsRefresh, fence);
  }

  private FilesystemStorage(StorageLayout layout, FilesystemDriver driver, Clock clock, Duration listingsRefresh,
      ReferenceFence fence) {
    super(layout, driver, clock, listingsRefresh, fence,
        (l, blobs, linked) -> new UploadStore(l, driver, blobs, clock, linked, fence));
    this.sweeper = new StaleFileSweeper(layout, (UploadStore) uploads());
  }

  public Path root() {
    return layout.root();
  }

  /**
   * Removes what interrupted work left behind: uploads started more than {@code uploadMaxAge} ago (registry:2 purges
   * after a week) and temp files older than {@code tempMaxAge}; also releases file handles of idle uploads. Safe to run
   * while serving; call it periodically from one thread.
   */
  @Override
  public StaleFileSweeper.Result sweepStale(Duration uploadMaxAge, Duration tempMaxAge) {
    return sweeper.sweep(uploadMaxAge, tempMaxAge);
  }
}
