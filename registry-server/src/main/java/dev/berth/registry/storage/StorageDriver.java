package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * What the registry logic (manifests, tags, links, referrers, the catalog) needs from a place that keeps files: the
 * seam between that logic and the medium, as distribution's storagedriver is. Paths are those of {@link StorageLayout}
 * under its root; the filesystem uses them as they are, an object store as keys (the path below its root). Small
 * files (links, sidecars, manifests) go through {@link #read} and {@link #write}; blob data is read through
 * {@link #open}, and written only by the medium's own upload area. I/O failures are {@link
 * java.io.UncheckedIOException} unless a method says otherwise: the server's fault, answered with 500.
 */
interface StorageDriver {

  /** The file's bytes when it exists; TooLargeException when it holds more than {@code maxBytes}. */
  Optional<byte[]> read(Path path, int maxBytes) throws TooLargeException;

  /** A small file that is not small: not what the caller expects there (a hand-edited root, a foreign object). */
  final class TooLargeException extends IOException {
    TooLargeException(String message) {
      super(message);
    }
  }

  /** Replaces (or creates) the file atomically: a reader sees the old content or the new, never a part. */
  void write(Path path, byte[] content);

  /** The file's size, when it exists. */
  OptionalLong size(Path path);

  /** Whether anything exists below {@code dir}. */
  boolean isDirectory(Path dir);

  /** Names directly below {@code dir} (files and directories alike, unordered); empty when absent. */
  List<String> children(Path dir);

  /**
   * Something that changes when an entry is added to or removed from {@code dir}: its mtime on a filesystem; on a
   * medium without one a constant, so caches keyed on it expire by age only. Empty when {@code dir} is absent.
   */
  Optional<FileTime> directoryVersion(Path dir);

  /** Removes {@code path} and everything below it; absent is not an error. */
  void deleteTree(Path path);

  /** Opens a blob's data file for reading; NoSuchFileException when it is absent. */
  OpenBlob open(Digest digest, Path data) throws NoSuchFileException;

  // ---- for maintenance (garbage collection): times and listings in the medium's own clock

  /** How coarse modification times are: a file may look up to this much older than it is. */
  default Duration mtimeStep() {
    return Duration.ZERO;
  }

  /** The file's size and modification time, when it exists. */
  Optional<StoredFile> stat(Path path);

  /** The files directly below {@code dir} (no directories, no temp files); empty when absent. */
  List<StoredFile> files(Path dir);

  /** Calls {@code action} for every file anywhere below {@code dir} (no temp files), streaming: there may be millions. */
  void forEachFileBelow(Path dir, Consumer<StoredFile> action);

  /**
   * Removes these files, each with its directory when that is left empty (a blob's {@code <hex>/} directory); absent
   * ones are no error. An object store removes up to a thousand in one request.
   */
  void deleteFiles(List<Path> files);

  /** Removes an upload's directory and whatever the medium keeps for it elsewhere (S3: its multipart uploads). */
  void discardUpload(Path uploadDir);

  /** Writes the file only when none exists under {@code path} (S3: If-None-Match: *); false when one exists. */
  boolean createIfAbsent(Path path, byte[] content);

  /** Readiness: a write below {@code dir} succeeds right now. */
  boolean isWritable(Path dir);
}
