package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;

/**
 * A blob upload in progress ({@code _uploads/<id>}). Bytes are appended as they arrive off the socket and hashed
 * while they stream; nothing is visible as a blob until {@link #complete} has verified the digest.
 * Implementations do blocking file I/O: callers keep them off Netty's event loop.
 */
public interface UploadSession {
  String id();

  RepositoryName repository();

  /** Bytes received so far; the next chunk must start at this offset. */
  long size();

  /** Appends the buffer's remaining bytes at {@link #size()}. */
  void append(ByteBuffer data);

  /**
   * Makes what was appended so far durable for whoever continues the upload (another request, another replica):
   * called before a chunk is acknowledged. A no-op where appends are already where the next request reads them.
   */
  default void flush() {}

  /**
   * Verifies that the uploaded bytes hash to {@code expected}, makes the blob visible (temp + fsync + rename) and
   * links it into the repository. On mismatch throws DIGEST_INVALID and discards the upload; no blob appears.
   */
  BlobInfo complete(Digest expected);

  /** Discards the upload and its bytes. */
  void cancel();

  /**
   * Closes the session's file until its next {@link #append}: called when a request on the session ends, so a session
   * left between requests (or by a client that went away) holds no file descriptor. Bytes and hash state are kept.
   */
  void release();
}
