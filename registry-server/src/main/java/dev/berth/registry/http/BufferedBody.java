package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/** Collects a small body (a manifest) up to a hard limit, then hands the bytes over. */
final class BufferedBody implements BodySink {
  private final int limit;
  private final Consumer<byte[]> onComplete;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  BufferedBody(int limit, Consumer<byte[]> onComplete) {
    this.limit = limit;
    this.onComplete = onComplete;
  }

  @Override
  public void accept(ByteBuf chunk) {
    if (bytes.size() + chunk.readableBytes() > limit) {
      throw tooLarge(limit);
    }
    bytes.writeBytes(ByteBufUtil.getBytes(chunk));
  }

  @Override
  public void finish() {
    onComplete.accept(bytes.toByteArray());
  }

  static RegistryException tooLarge(int limit) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest exceeds the limit of " + limit + " bytes", null, 413);
  }
}
