package dev.berth.registry.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * A blob opened for reading, in one of two forms. On a filesystem, {@link #channel()}: the HTTP layer hands it to
 * Netty's {@code DefaultFileRegion} (sendfile) and closes it when the transfer is done, so the bytes never pass
 * through the heap. On an object store, {@link #ranges()}: a stream of the requested byte range, read in chunks.
 */
public record OpenBlob(BlobInfo info, FileChannel channel, RangeReader ranges) implements Closeable {

  /** Opens a stream of {@code length} bytes from {@code start}; the caller closes it. */
  @FunctionalInterface
  public interface RangeReader {
    InputStream open(long start, long length) throws IOException;

    /**
     * The same bytes as a signed request the caller may send itself, when the store has one; {@link #open} stays the
     * way to read them (with the client's retries) when that request cannot be used.
     */
    default Optional<PresignedRead> presign(long start, long length) {
      return Optional.empty();
    }
  }

  public static OpenBlob ofFile(BlobInfo info, FileChannel channel) {
    return new OpenBlob(info, channel, null);
  }

  public static OpenBlob ofRanges(BlobInfo info, RangeReader ranges) {
    return new OpenBlob(info, null, ranges);
  }

  /** True for the zero-copy file form. */
  public boolean isFile() {
    return channel != null;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
