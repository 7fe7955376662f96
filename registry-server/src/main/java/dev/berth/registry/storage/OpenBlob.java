package dev.berth.registry.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A blob opened for reading. The HTTP layer hands {@link #channel()} to Netty's {@code DefaultFileRegion} (sendfile)
 * and closes it when the transfer is done; the bytes never pass through the heap.
 */
public record OpenBlob(BlobInfo info, FileChannel channel) implements Closeable {
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
