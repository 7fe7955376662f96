package dev.berth.registry.http.connection;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Stands in for the registry on a connection the limiter refused: the first request (read, so the client sees the
 * answer rather than a reset) gets 503 or 429 with Retry-After, and the connection closes.
 */
final class RefusingHandler extends ChannelInboundHandlerAdapter {
  static final int RETRY_AFTER_SECONDS = 1;
  private final HttpResponseStatus status;
  private boolean answered;

  RefusingHandler(HttpResponseStatus status) {
    this.status = status;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest && !answered) {
        answered = true;
        ctx.channel().config().setAutoRead(false);
        boolean full = status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE);
        DefaultFullHttpResponse response = ErrorResponses.full(status, full ? "UNAVAILABLE" : "TOOMANYREQUESTS",
            full ? "the registry is at its connection limit; retry shortly"
                : "this client is at its connection limit (http.limits.connectionsPerClient); retry shortly");
        response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }
}
