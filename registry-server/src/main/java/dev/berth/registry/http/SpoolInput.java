package dev.berth.registry.http;

import dev.berth.registry.proxy.BlobFetch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A blob being fetched by the pull-through cache, sent as it arrives: chunks are read from the fetch's spool file up
 * to what the fetch allows (all but the last byte until the digest is verified). With nothing to read yet it returns
 * null, and {@link ChunkedWriteHandler} waits until the fetch reports progress; it reads only while the socket is
 * writable, so a slow client costs no memory. A failed fetch fails the transfer, and the connection is closed short.
 */
final class SpoolInput implements ChunkedInput<ByteBuf> {
  private static final int CHUNK = 64 * 1024;

  private final BlobFetch fetch;
  private final FileChannel spool;
  private final Runnable resume;
  private long offset;

  SpoolInput(BlobFetch fetch, FileChannel spool, ChannelHandlerContext ctx) {
    this.fetch = fetch;
    this.spool = spool;
    ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
    this.resume = writer::resumeTransfer;
    fetch.listen(resume);
  }

  @Override
  public boolean isEndOfInput() {
    return offset >= fetch.size() && fetch.stored();
  }

  @Override
  public void close() throws IOException {
    fetch.unlisten(resume);
    spool.close();
  }

  @Deprecated
  @Override
  public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
    if (fetch.failed()) {
      throw new IOException("upstream fetch failed: " + fetch.failure());
    }
    long limit = fetch.readable();
    if (offset >= limit) {
      return null;
    }
    int size = (int) Math.min(CHUNK, limit - offset);
    ByteBuf buffer = allocator.buffer(size);
    boolean release = true;
    try {
      int read = buffer.writeBytes(spool, offset, size);
      if (read < 0) {
        throw new IOException("spool ended early at " + offset);
      }
      offset += read;
      release = false;
      return buffer;
    } finally {
      if (release) {
        buffer.release();
      }
    }
  }

  @Override
  public long length() {
    return fetch.size();
  }

  @Override
  public long progress() {
    return offset;
  }
}
