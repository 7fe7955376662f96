package dev.berth.registry.http;

import io.netty.buffer.ByteBuf;

/**
 * Where a request body goes, chunk by chunk, as it comes off the socket. Runs on the connection's
 * {@link SerialExecutor}, never on the event loop. {@link #finish} writes the response; {@link #abort} is called instead
 * when the connection drops before the body ended.
 */
interface BodySink {
  void accept(ByteBuf chunk);

  void finish();

  default void abort() {}

  /** For requests whose response is already written: the body, if any, is read and dropped. */
  BodySink DISCARD = new BodySink() {
    @Override
    public void accept(ByteBuf chunk) {}

    @Override
    public void finish() {}
  };
}
