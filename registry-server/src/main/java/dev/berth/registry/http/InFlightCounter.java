package dev.berth.registry.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a request in when its head arrives; {@link Exchange} counts it out when the response is written. */
final class InFlightCounter extends ChannelInboundHandlerAdapter {
  private final AtomicInteger inFlight;

  InFlightCounter(AtomicInteger inFlight) {
    this.inFlight = inFlight;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      inFlight.incrementAndGet();
    }
    ctx.fireChannelRead(msg);
  }
}
