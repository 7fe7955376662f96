package dev.berth.registry.storage;

import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans what crashes and abandoned clients leave: old upload directories (by their {@code startedat}, like
 * registry:2's upload purge) and old {@link DurableFiles#TEMP_PREFIX} temp files. Readers never look at either, so
 * this is tidiness, not correctness; ages are generous so that no live write is touched.
 */
public final class StaleFileSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(StaleFileSweeper.class);
  /** An upload's file handle is closed after this long without a request; the next request reopens it. */
  private static final Duration IDLE_HANDLE = Duration.ofMinutes(5);

  /** What one sweep removed. */
  public record Result(int uploadsRemoved, int tempFilesRemoved) {}

  private final StorageLayout layout;
  private final UploadStore uploads;

  StaleFileSweeper(StorageLayout layout, UploadStore uploads) {
    this.layout = layout;
    this.uploads = uploads;
  }

  Result sweep(Duration uploadMaxAge, Duration tempMaxAge) {
    uploads.releaseIdle(System.nanoTime() - IDLE_HANDLE.toNanos());
    Instant now = uploads.now();
    Instant uploadCutoff = now.minus(uploadMaxAge);
    Instant tempCutoff = now.minus(tempMaxAge);
    int[] counts = new int[2];
    if (!Files.isDirectory(layout.v2())) {
      return new Result(0, 0);
    }
    try {
      Files.walkFileTree(layout.v2(), new DeletionTolerantVisitor() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.getFileName().toString().equals("_uploads")) {
            counts[0] += purgeUploads(dir, uploadCutoff);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (DurableFiles.isTemp(file) && attrs.lastModifiedTime().toInstant().isBefore(tempCutoff)
              && Files.deleteIfExists(file)) {
            counts[1]++;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sweep " + layout.v2(), e);
    }
    if (counts[0] + counts[1] > 0) {
      LOG.info("removed {} stale uploads and {} stale temp files", counts[0], counts[1]);
    }
    return new Result(counts[0], counts[1]);
  }

  private int purgeUploads(Path uploadsDir, Instant cutoff) {
    RepositoryName repo;
    try {
      repo = RepositoryName.parse(layout.repositoryNameOf(uploadsDir.getParent()));
    } catch (RegistryException e) {
      return 0;
    }
    int removed = 0;
    for (Path uploadDir : children(uploadsDir)) {
      UploadId id;
      try {
        id = new UploadId(uploadDir.getFileName().toString());
      } catch (RegistryException e) {
        continue;
      }
      Instant started = startedAt(uploadDir);
      if (started != null && started.isBefore(cutoff)) {
        uploads.expire(repo, id);
        DurableFiles.deleteTree(uploadDir);
        removed++;
      }
    }
    return removed;
  }

  /** From startedat; when that is missing or unreadable (a crash right after mkdir), the directory's mtime. */
  private static Instant startedAt(Path uploadDir) {
    Instant started = UploadStore.startedAt(uploadDir);
    if (started != null) {
      return started;
    }
    try {
      return Instant.ofEpochMilli(Files.getLastModifiedTime(uploadDir).to(TimeUnit.MILLISECONDS));
    } catch (IOException e) {
      return null;
    }
  }

  private static List<Path> children(Path dir) {
    List<Path> result = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, Files::isDirectory)) {
      stream.forEach(result::add);
    } catch (IOException e) {
      return List.of();
    }
    return result;
  }
}
