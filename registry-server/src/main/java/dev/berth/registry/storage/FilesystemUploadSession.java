package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * An upload streaming into {@code _uploads/<id>/data}. Bytes are hashed (sha256, the common case) as they are
 * written, so completing needs no second read; a session resumed after a restart, or completed with a sha512
 * digest, rehashes the file instead, and so does one another replica on the same volume appended to. Methods are
 * synchronized: one upload sees one request at a time.
 */
final class FilesystemUploadSession implements UploadSession {
  private static final int REHASH_BUFFER_BYTES = 1 << 20;

  private final UploadStore store;
  private final RepositoryName repository;
  private final UploadId id;
  private final Path data;
  private final Path dir;
  /** Running sha256 of bytes [0, size); null when the bytes were written before this process started. */
  private MessageDigest sha256;
  private long size;
  private FileChannel channel;
  private boolean finished;
  private long lastUsedNanos = System.nanoTime();
  private final EarlyWriteback writeback = new EarlyWriteback();

  FilesystemUploadSession(UploadStore store, RepositoryName repository, UploadId id, Path dir, long size,
      boolean hashFromStart) {
    this.store = store;
    this.repository = repository;
    this.id = id;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.size = size;
    this.sha256 = hashFromStart ? newSha256() : null;
  }

  @Override
  public String id() {
    return id.value();
  }

  @Override
  public RepositoryName repository() {
    return repository;
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized void append(ByteBuffer buffer) {
    FileChannel out = openChannel();
    ByteBuffer toHash = buffer.duplicate();
    long position = size;
    try {
      while (buffer.hasRemaining()) {
        position += out.write(buffer, position);
      }
    } catch (IOException e) {
      truncateBack(out);
      throw new UncheckedIOException("cannot append to upload " + id, e);
    }
    writeback.wrote(out, position - size);
    if (sha256 != null) {
      toHash.limit(toHash.position() + (int) (position - size));
      sha256.update(toHash);
    }
    size = position;
  }

  @Override
  public synchronized BlobInfo complete(Digest expected) {
    FileChannel out = openChannel();
    try {
      out.truncate(size); // drops a tail a failed append may have left, so the file is exactly what was hashed
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish upload " + id, e);
    }
    Digest actual = expected.algorithm().equals("sha256") && sha256 != null
        ? new Digest("sha256", HexFormat.of().formatHex(sha256.digest()))
        : rehash(expected);
    // digest() reset the running hash: should publishing fail and the client retry, the retry rehashes the file
    sha256 = null;
    closeChannel();
    if (!actual.equals(expected)) {
      discard();
      throw new RegistryException(ErrorCode.DIGEST_INVALID,
          "uploaded content has digest " + actual + ", not " + expected, Map.of("digest", expected.toString()));
    }
    try {
      store.publish(this, data, expected);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        finish();
        throw unknown();
      }
      throw e;
    }
    finish();
    return new BlobInfo(expected, size);
  }

  @Override
  public synchronized void cancel() {
    ensureLive();
    discard();
  }

  @Override
  public synchronized void release() {
    closeChannel();
  }

  /**
   * Takes what another process appended meanwhile: on a shared (ReadWriteMany) volume a client's next chunk may land
   * on another replica. Then the running hash no longer covers the file, so completing rehashes it.
   */
  synchronized void catchUpWithDisk() {
    ensureLive();
    long onDisk;
    try {
      onDisk = Files.size(data);
    } catch (NoSuchFileException e) {
      finish();
      throw unknown();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read upload " + id, e);
    }
    if (onDisk != size) {
      closeChannel();
      size = onDisk;
      sha256 = null;
    }
  }

  /** Closes the file handle of an idle session; the next append reopens it. Hash state stays. */
  synchronized void releaseIfIdleSince(long nanos) {
    if (channel != null && lastUsedNanos - nanos < 0) {
      closeChannel();
    }
  }

  /** Ends the session because its files are being purged; later calls answer BLOB_UPLOAD_UNKNOWN. */
  synchronized void expire() {
    closeChannel();
    finished = true;
  }

  private void discard() {
    closeChannel();
    DurableFiles.deleteTree(dir);
    finish();
  }

  private void finish() {
    finished = true;
    closeChannel();
    store.forget(this);
  }

  private FileChannel openChannel() {
    ensureLive();
    lastUsedNanos = System.nanoTime();
    if (channel == null) {
      try {
        channel = FileChannel.open(data, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        finish();
        throw unknown();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open upload " + id, e);
      }
    }
    return channel;
  }

  private void truncateBack(FileChannel out) {
    try {
      out.truncate(size);
    } catch (IOException suppressed) {
      // The next append writes at size() anyway; the stray tail is overwritten or never hashed.
    }
  }

  private Digest rehash(Digest expected) {
    MessageDigest hasher = expected.newHasher();
    ByteBuffer buffer = ByteBuffer.allocate(REHASH_BUFFER_BYTES);
    try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
      long position = 0;
      while (position < size) {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - position));
        int read = in.read(buffer, position);
        if (read < 0) {
          break;
        }
        buffer.flip();
        hasher.update(buffer);
        position += read;
      }
    } catch (NoSuchFileException e) {
      finish();
      throw unknown();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read upload " + id, e);
    }
    return new Digest(expected.algorithm(), HexFormat.of().formatHex(hasher.digest()));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing was pending: writes went through write(), and close cannot lose them.
      }
      channel = null;
    }
  }

  private void ensureLive() {
    if (finished) {
      throw unknown();
    }
  }

  private RegistryException unknown() {
    return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is unknown or finished");
  }
}
