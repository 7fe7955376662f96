package dev.berth.registry.http;

import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.storage.UploadSession;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Streams a request body into an upload session chunk by chunk; the blob is never whole in memory. When the client
 * declared a length (Content-Range), a body of another length is refused with SIZE_INVALID.
 */
final class UploadBody implements BodySink {
  private final UploadSession session;
  private final long expectedLength;
  private final boolean cancelOnAbort;
  private final Runnable onComplete;
  private final RegistryMetrics metrics;
  private long received;
  private boolean ended;

  /**
   * @param expectedLength bytes announced by Content-Range, or -1
   * @param cancelOnAbort  discard the whole session when the body is cut off (a one-shot upload), rather than keep
   *                       what arrived so the client can resume (a chunk of a resumable upload)
   */
  UploadBody(RegistryMetrics metrics, UploadSession session, long expectedLength, boolean cancelOnAbort,
      Runnable onComplete) {
    this.metrics = metrics;
    metrics.uploadStarted();
    this.session = session;
    this.expectedLength = expectedLength;
    this.cancelOnAbort = cancelOnAbort;
    this.onComplete = onComplete;
  }

  @Override
  public void accept(ByteBuf chunk) {
    received += chunk.readableBytes();
    if (expectedLength >= 0 && received > expectedLength) {
      throw sizeMismatch();
    }
    for (ByteBuffer buffer : chunk.nioBuffers()) {
      session.append(buffer);
    }
  }

  @Override
  public void finish() {
    try {
      if (expectedLength >= 0 && received != expectedLength) {
        throw sizeMismatch();
      }
      onComplete.run();
    } finally {
      session.release(); // between requests a session holds no file descriptor
      ended();
    }
  }

  /** Out of the in-flight uploads once: a failed finish is followed by an abort. */
  private void ended() {
    if (!ended) {
      ended = true;
      metrics.uploadEnded();
    }
  }

  @Override
  public void abort() {
    ended();
    if (cancelOnAbort) {
      try {
        session.cancel();
      } catch (RegistryException alreadyGone) {
        // a failed complete() has discarded the session already
      }
    } else {
      session.release(); // what arrived is kept for the client to resume
    }
  }

  private RegistryException sizeMismatch() {
    return new RegistryException(ErrorCode.SIZE_INVALID,
        "body length does not match Content-Range: expected " + expectedLength + " bytes", null);
  }
}
