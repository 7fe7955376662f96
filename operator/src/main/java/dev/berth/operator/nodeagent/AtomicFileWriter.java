package dev.berth.operator.nodeagent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Writes node files so a runtime never reads half a file: temp file in the same directory, fsync, rename, fsync of the
 * directory. A file whose content is already the wanted one is not touched (no mtime change, no reload trigger). A
 * user's file about to change is first copied to {@code <name>.berth-backup}; files the agent owns get no backup.
 */
public final class AtomicFileWriter {
  public static final String BACKUP_SUFFIX = ".berth-backup";
  private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = Set.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

  /** What a write did. */
  public enum Outcome { UNCHANGED, CREATED, REPLACED }

  /** Writes {@code content} to {@code file} unless it already holds exactly that. */
  public Outcome write(Path file, byte[] content) {
    return write(file, content, false);
  }

  /** As {@link #write(Path, byte[])}, first copying the replaced content to {@link #backupOf(Path)}. */
  public Outcome writeWithBackup(Path file, byte[] content) {
    return write(file, content, true);
  }

  private Outcome write(Path file, byte[] content, boolean backup) {
    try {
      Optional<byte[]> current = read(file);
      if (current.isPresent() && Arrays.equals(current.get(), content)) {
        return Outcome.UNCHANGED;
      }
      Files.createDirectories(file.getParent());
      Set<PosixFilePermission> permissions = DEFAULT_PERMISSIONS;
      if (current.isPresent()) {
        permissions = Files.getPosixFilePermissions(file);
        if (backup) {
          replace(backupOf(file), current.get(), permissions);
        }
      }
      replace(file, content, permissions);
      return current.isPresent() ? Outcome.REPLACED : Outcome.CREATED;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's bytes, or empty when it does not exist. */
  public Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deletes {@code file}; true when something was deleted. */
  public boolean delete(Path file) {
    try {
      if (!Files.deleteIfExists(file)) {
        return false;
      }
      fsyncDirectory(file.getParent());
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  public static Path backupOf(Path file) {
    return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
  }

  private static void replace(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".berth-tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, permissions);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + file + " cannot rename atomically", e);
      }
      fsyncDirectory(file.getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void fsyncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for sync; the rename itself is still atomic
    }
  }
}
