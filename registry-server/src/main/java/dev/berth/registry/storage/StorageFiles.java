package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The files of one storage root on any medium, for maintenance that works below the registry API (garbage
 * collection): layout paths, listings with modification times in the medium's own clock, small reads and writes,
 * create-if-absent and tree deletes. The same registry:2 layout on a directory or an S3 bucket.
 */
public final class StorageFiles {
  private final StorageLayout layout;
  private final StorageDriver driver;

  StorageFiles(StorageLayout layout, StorageDriver driver) {
    this.layout = layout;
    this.driver = driver;
  }

  /** A local storage root (the directory holding {@code docker/registry/v2}). */
  public static StorageFiles filesystem(Path root) {
    return new StorageFiles(new StorageLayout(root.toAbsolutePath().normalize()), FilesystemDriver.LOCAL);
  }

  public StorageLayout layout() {
    return layout;
  }

  /** Every repository stored now, read afresh (never from a cache another replica's writes may not have reached). */
  public List<RepositoryName> repositories() {
    return new RepositoryCatalog(layout, driver).scan().stream().map(RepositoryName::parse).toList();
  }

  /** Names directly below {@code dir}, temp files left out. */
  public List<String> children(Path dir) {
    return driver.children(dir).stream().filter(name -> !name.startsWith(DurableFiles.TEMP_PREFIX)).toList();
  }

  public List<StoredFile> files(Path dir) {
    return driver.files(dir);
  }

  public void forEachFileBelow(Path dir, Consumer<StoredFile> action) {
    driver.forEachFileBelow(dir, action);
  }

  public Optional<StoredFile> stat(Path path) {
    return driver.stat(path);
  }

  /** How coarse this medium's modification times are (S3: whole seconds). */
  public Duration mtimeStep() {
    return driver.mtimeStep();
  }

  /** The digest a link file names, when it exists and holds one. */
  public Optional<Digest> link(Path path) {
    return LinkFile.read(driver, path);
  }

  /** The file's bytes; IllegalStateException when it holds more than {@code maxBytes} (not what belongs there). */
  public Optional<byte[]> read(Path path, int maxBytes) {
    try {
      return driver.read(path, maxBytes);
    } catch (StorageDriver.TooLargeException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Replaces the file atomically and returns its modification time as the medium recorded it. */
  public Instant write(Path path, byte[] content) {
    driver.write(path, content);
    return driver.stat(path).orElseThrow(() -> new IllegalStateException(path + " vanished right after it was written"))
        .modified();
  }

  public boolean createIfAbsent(Path path, byte[] content) {
    return driver.createIfAbsent(path, content);
  }

  /** Removes these files (and their directories once empty), in as few requests as the medium allows. */
  public void deleteFiles(List<Path> paths) {
    driver.deleteFiles(paths);
  }

  /** Removes an upload (its directory, and on S3 its multipart uploads). */
  public void discardUpload(Path uploadDir) {
    driver.discardUpload(uploadDir);
  }

  /** Removes {@code path} and everything below it; absent is not an error. */
  public void deleteTree(Path path) {
    driver.deleteTree(path);
  }
}
