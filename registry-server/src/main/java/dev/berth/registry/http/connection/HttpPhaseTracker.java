package dev.berth.registry.http.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.LongSupplier;

/**
 * Right after the HTTP codec: tells the connection's {@link ConnectionState} when a request head and its end are
 * decoded and when a final response has been written out, which moves the connection between phases.
 */
final class HttpPhaseTracker extends ChannelDuplexHandler {
  private final ConnectionState state;
  private final LongSupplier nanoTime;

  HttpPhaseTracker(ConnectionState state, LongSupplier nanoTime) {
    this.state = state;
    this.nanoTime = nanoTime;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      state.requestHead(nanoTime.getAsLong());
    }
    if (msg instanceof LastHttpContent) {
      state.requestEnd(nanoTime.getAsLong());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean informational = msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent && !informational) {
      ChannelPromise tracked = promise.unvoid();
      tracked.addListener(f -> state.responseSent(nanoTime.getAsLong()));
      ctx.write(msg, tracked);
      return;
    }
    ctx.write(msg, promise);
  }
}
