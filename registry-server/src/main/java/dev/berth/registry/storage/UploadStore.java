package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Upload sessions ({@code _uploads/<id>/data} and {@code startedat}). Live sessions stay in memory across requests
 * with their hash state; an upload found only on disk (the server restarted, or registry:2 started it) is resumed
 * and rehashed when it completes, as is one another replica on a shared volume appended to.
 */
final class UploadStore implements UploadArea {
  private record Key(RepositoryName repository, UploadId id) {}

  private final StorageLayout layout;
  private final BlobStore blobs;
  private final StorageDriver driver;
  private final Clock clock;
  private final Consumer<RepositoryName> linked;
  private final ReferenceFence fence;
  private final ConcurrentHashMap<Key, FilesystemUploadSession> sessions = new ConcurrentHashMap<>();

  /** @param linked told of each repository a completed upload linked a blob into */
  UploadStore(StorageLayout layout, StorageDriver driver, BlobStore blobs, Clock clock,
      Consumer<RepositoryName> linked, ReferenceFence fence) {
    this.layout = layout;
    this.driver = driver;
    this.fence = fence;
    this.blobs = blobs;
    this.clock = clock;
    this.linked = linked;
  }

  @Override
  public UploadSession start(RepositoryName repo) {
    UploadId id = UploadId.random();
    Path dir = layout.uploadDir(repo, id);
    // startedat in registry:2's format (RFC 3339, UTC, seconds): its purge and ours both read it.
    String startedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      DurableFiles.ensureDirectory(dir);
      Files.createFile(dir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start an upload in " + repo, e);
    }
    DurableFiles.write(layout.uploadStartedAt(repo, id), startedAt.getBytes(StandardCharsets.US_ASCII));
    FilesystemUploadSession session = new FilesystemUploadSession(this, repo, id, dir, 0, true);
    sessions.put(new Key(repo, id), session);
    return session;
  }

  @Override
  public UploadSession find(RepositoryName repo, String uploadId) {
    UploadId id = new UploadId(uploadId);
    Key key = new Key(repo, id);
    FilesystemUploadSession live = sessions.get(key);
    if (live != null) {
      live.catchUpWithDisk();
      return live;
    }
    Path dir = layout.uploadDir(repo, id);
    if (!Files.isRegularFile(dir.resolve("startedat")) || !Files.isRegularFile(dir.resolve("data"))) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "unknown upload " + uploadId + " in " + repo);
    }
    return sessions.computeIfAbsent(key, k -> resumed(repo, id, dir));
  }

  private FilesystemUploadSession resumed(RepositoryName repo, UploadId id, Path dir) {
    try {
      long size = Files.size(dir.resolve("data"));
      return new FilesystemUploadSession(this, repo, id, dir, size, false);
    } catch (NoSuchFileException e) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "unknown upload " + id + " in " + repo);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resume upload " + id, e);
    }
  }

  /** Turns a verified upload into a blob linked into its repository, then removes the upload directory. */
  void publish(FilesystemUploadSession session, Path verifiedData, Digest digest) {
    // In the fence: adopt keeps an existing copy of the blob, which a collector may be about to delete as garbage.
    fence.referencing(NewReferences.blob(session.repository(), digest), () -> {
      adopt(verifiedData, digest);
      LinkFile.write(driver, layout.layerLink(session.repository(), digest), digest);
      return null;
    });
    linked.accept(session.repository());
    DurableFiles.deleteTree(verifiedData.getParent());
  }

  /**
   * Makes a verified file the blob's data by renaming it into place. When the blob already exists (a concurrent push
   * of the same content won), the existing data stays and {@code verifiedFile} is removed.
   */
  private void adopt(Path verifiedFile, Digest digest) {
    if (blobs.exists(digest)) {
      try {
        Files.deleteIfExists(verifiedFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + verifiedFile, e);
      }
      return;
    }
    DurableFiles.moveInto(verifiedFile, blobs.data(digest));
  }

  void forget(FilesystemUploadSession session) {
    sessions.remove(new Key(session.repository(), new UploadId(session.id())), session);
  }

  /** Closes file handles of sessions unused since {@code idleSinceNanos} (a System.nanoTime value). */
  void releaseIdle(long idleSinceNanos) {
    sessions.values().forEach(session -> session.releaseIfIdleSince(idleSinceNanos));
  }

  /** Ends the in-memory session of an upload directory about to be purged, if there is one. */
  void expire(RepositoryName repo, UploadId id) {
    FilesystemUploadSession live = sessions.remove(new Key(repo, id));
    if (live != null) {
      live.expire();
    }
  }

  /** When an upload started, from its startedat file; null when that cannot be read. */
  static Instant startedAt(Path uploadDir) {
    try {
      String text = Files.readString(uploadDir.resolve("startedat"), StandardCharsets.US_ASCII).trim();
      return Instant.parse(text);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  Instant now() {
    return clock.instant();
  }
}
