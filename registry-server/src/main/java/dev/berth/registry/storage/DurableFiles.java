package dev.berth.registry.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Crash-safe file operations: content is written to a temp file in the target's directory, fsynced, renamed over the
 * target and the directory fsynced, so a reader (or a restart after kill -9 or power loss) sees the old file or the
 * new one, never a part. Temp files carry {@link #TEMP_PREFIX}, which nothing reads and the sweeper removes.
 * I/O failures surface as {@link UncheckedIOException}: they are the server's fault, not the client's.
 */
public final class DurableFiles {
  public static final String TEMP_PREFIX = ".berth-tmp-";
  /** Bounds retries when a concurrent delete removes an empty parent directory between mkdir and write. */
  private static final int MAX_ATTEMPTS = 3;

  private DurableFiles() {}

  public static boolean isTemp(Path path) {
    return path.getFileName().toString().startsWith(TEMP_PREFIX);
  }

  /** Atomically replaces (or creates) {@code target} with {@code content}. */
  static void write(Path target, byte[] content) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeOnce(target, content);
        return;
      } catch (NoSuchFileException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new UncheckedIOException("cannot write " + target, e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target, e);
      }
    }
  }

  private static void writeOnce(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    ensureDirectory(dir);
    Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(false); // fdatasync: the bytes and the size; the rename is made durable below
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Moves a complete, already verified file to {@code target} in one rename (same file system: the upload area lives
   * under the same root), after flushing its bytes. An existing target is replaced; callers only move content-addressed
   * files, where old and new bytes are equal.
   */
  static void moveInto(Path source, Path target) {
    try {
      try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
        channel.force(false); // fdatasync: the bytes and the size; the rename is made durable below
      }
      ensureDirectory(target.getParent());
      try {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        copyThenRename(source, target);
      }
      fsyncDirectory(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + source + " to " + target, e);
    }
  }

  // Only when the root spans file systems (an odd mount): copy next to the target, flush, then rename.
  private static void copyThenRename(Path source, Path target) throws IOException {
    Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
    try {
      Files.copy(source, temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(false); // fdatasync: the bytes and the size; the rename is made durable below
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.delete(source);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates {@code dir} and missing parents, fsyncing each parent that gained an entry so the new names persist. */
  static void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      ensureDirectory(parent);
    }
    try {
      Files.createDirectory(dir);
      if (parent != null) {
        fsyncDirectory(parent);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Deletes {@code path} and everything below it; a concurrent delete of any part is not an error. */
  public static void deleteTree(Path path) {
    try {
      Files.walkFileTree(path, new DeletionTolerantVisitor() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
