package dev.berth.registry.storage;

import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Digest;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Times every driver call into {@code registry_storage_action_seconds{driver,action}}, with distribution's action
 * names (GetContent, PutContent, Stat, List, Delete, Reader). Without metrics it only forwards: not even the clock is
 * read. Opening a blob is timed, not streaming it (the bytes go out by sendfile), as distribution's Reader action.
 * A call that throws an unchecked failure (the drivers' form of a disk or bucket error) also counts in
 * {@code registry_storage_action_errors_total}; "not found" and "too large" are answers, not failures.
 */
final class TimedDriver implements StorageDriver {
  private final StorageDriver driver;
  private final String name;
  private volatile RegistryMetrics metrics = RegistryMetrics.NONE;

  /** @param name the {@code driver} label: distribution's driver name ("filesystem", "s3aws") */
  TimedDriver(StorageDriver driver, String name) {
    this.driver = driver;
    this.name = name;
  }

  void measure(RegistryMetrics newMetrics) {
    this.metrics = newMetrics;
  }

  @FunctionalInterface
  private interface Call<T, E extends Exception> {
    T run() throws E;
  }

  private <T, E extends Exception> T timed(String action, Call<T, E> call) throws E {
    RegistryMetrics m = metrics;
    if (!m.enabled()) {
      return call.run();
    }
    long start = System.nanoTime();
    try {
      return call.run();
    } catch (RuntimeException e) {
      m.storageError(name, action);
      throw e;
    } finally {
      m.storageAction(name, action, System.nanoTime() - start);
    }
  }

  @Override
  public Optional<byte[]> read(Path path, int maxBytes) throws TooLargeException {
    return timed("GetContent", () -> driver.read(path, maxBytes));
  }

  @Override
  public void write(Path path, byte[] content) {
    timed("PutContent", () -> {
      driver.write(path, content);
      return null;
    });
  }

  @Override
  public OptionalLong size(Path path) {
    return timed("Stat", () -> driver.size(path));
  }

  @Override
  public boolean isDirectory(Path dir) {
    return timed("Stat", () -> driver.isDirectory(dir));
  }

  @Override
  public List<String> children(Path dir) {
    return timed("List", () -> driver.children(dir));
  }

  @Override
  public Optional<FileTime> directoryVersion(Path dir) {
    return timed("Stat", () -> driver.directoryVersion(dir));
  }

  @Override
  public void deleteTree(Path path) {
    timed("Delete", () -> {
      driver.deleteTree(path);
      return null;
    });
  }

  @Override
  public OpenBlob open(Digest digest, Path data) throws NoSuchFileException {
    return timed("Reader", () -> driver.open(digest, data));
  }

  @Override
  public boolean isWritable(Path dir) {
    return timed("PutContent", () -> driver.isWritable(dir));
  }

  @Override
  public Duration mtimeStep() {
    return driver.mtimeStep();
  }

  @Override
  public Optional<StoredFile> stat(Path path) {
    return timed("Stat", () -> driver.stat(path));
  }

  @Override
  public List<StoredFile> files(Path dir) {
    return timed("List", () -> driver.files(dir));
  }

  @Override
  public void forEachFileBelow(Path dir, Consumer<StoredFile> action) {
    timed("Walk", () -> {
      driver.forEachFileBelow(dir, action);
      return null;
    });
  }

  @Override
  public void deleteFiles(List<Path> files) {
    timed("Delete", () -> {
      driver.deleteFiles(files);
      return null;
    });
  }

  @Override
  public void discardUpload(Path uploadDir) {
    timed("Delete", () -> {
      driver.discardUpload(uploadDir);
      return null;
    });
  }

  @Override
  public boolean createIfAbsent(Path path, byte[] content) {
    return timed("PutContent", () -> driver.createIfAbsent(path, content));
  }
}
