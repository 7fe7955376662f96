package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@link StorageDriver} on a local directory: paths are real paths, writes go through {@link DurableFiles} (temp
 * file, fsync, rename, directory fsync), and blobs open as {@link FileChannel}s for sendfile.
 */
final class FilesystemDriver implements StorageDriver {
  /** The driver holds no state: one instance serves every local root. */
  static final FilesystemDriver LOCAL = new FilesystemDriver();

  @Override
  public Optional<byte[]> read(Path path, int maxBytes) throws TooLargeException {
    // One open and one read up to a byte past the limit, no stat: links are read on every manifest and blob request.
    int initial = Math.min(maxBytes + 1, 8192);
    ByteBuffer buffer = ByteBuffer.allocate(initial);
    try (SeekableByteChannel channel = Files.newByteChannel(path)) {
      while (true) {
        if (!buffer.hasRemaining()) {
          if (buffer.capacity() > maxBytes) {
            throw new TooLargeException(path + " holds more than " + maxBytes + " bytes");
          }
          buffer = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), Math.min(maxBytes + 1, buffer.capacity() * 4)))
              .position(buffer.capacity());
        }
        if (channel.read(buffer) < 0) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (TooLargeException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return Optional.of(Arrays.copyOf(buffer.array(), buffer.position()));
  }

  @Override
  public void write(Path path, byte[] content) {
    DurableFiles.write(path, content);
  }

  @Override
  public OptionalLong size(Path path) {
    try {
      return OptionalLong.of(Files.size(path));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path, e);
    }
  }

  @Override
  public boolean isDirectory(Path dir) {
    return Files.isDirectory(dir);
  }

  @Override
  public List<String> children(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entry -> names.add(entry.getFileName().toString()));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return names;
  }

  @Override
  public Optional<FileTime> directoryVersion(Path dir) {
    try {
      return Optional.of(Files.getLastModifiedTime(dir));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + dir, e);
    }
  }

  @Override
  public void deleteTree(Path path) {
    DurableFiles.deleteTree(path);
  }

  @Override
  public OpenBlob open(Digest digest, Path data) throws NoSuchFileException {
    FileChannel channel;
    try {
      channel = FileChannel.open(data, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob " + digest, e);
    }
    try {
      return OpenBlob.ofFile(new BlobInfo(digest, channel.size()), channel);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a read-only channel after a failure; nothing to save
      }
      throw new UncheckedIOException("cannot open blob " + digest, e);
    }
  }

  @Override
  public Optional<StoredFile> stat(Path path) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      return Optional.of(new StoredFile(path, attrs.size(), attrs.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + path, e);
    }
  }

  @Override
  public List<StoredFile> files(Path dir) {
    List<StoredFile> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (!DurableFiles.isTemp(entry)) {
          stat(entry).filter(file -> !Files.isDirectory(entry)).ifPresent(files::add);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return files;
  }

  @Override
  public void forEachFileBelow(Path dir, Consumer<StoredFile> action) {
    try {
      Files.walkFileTree(dir, new DeletionTolerantVisitor() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && !DurableFiles.isTemp(file)) {
            action.accept(new StoredFile(file, attrs.size(), attrs.lastModifiedTime().toInstant()));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // absent (or removed while the walk started): nothing below it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  @Override
  public void deleteFiles(List<Path> files) {
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // the directory holds something else too: it stays
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    }
  }

  @Override
  public void discardUpload(Path uploadDir) {
    DurableFiles.deleteTree(uploadDir);
  }

  @Override
  public boolean createIfAbsent(Path path, byte[] content) {
    Path temp = path.resolveSibling(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
    try {
      DurableFiles.ensureDirectory(path.getParent());
      Files.write(temp, content);
      Files.createLink(path, temp); // link(2) fails when the name exists: an atomic create-if-absent
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover temp file is what the stale-file sweep removes
      }
    }
  }

  @Override
  public boolean isWritable(Path dir) {
    Path probe = dir.resolve(DurableFiles.TEMP_PREFIX + "probe-" + UUID.randomUUID());
    try {
      DurableFiles.ensureDirectory(dir);
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
