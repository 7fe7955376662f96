package dev.berth.registry.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The optional plain-HTTP listener ({@code http.redirect.addr}): every request gets a 308 to the same path on the
 * HTTPS port, so a client that tried http:// learns where the registry is, and nothing is served in clear text.
 */
final class HttpsRedirectHandler extends SimpleChannelInboundHandler<HttpRequest> {
  private final int httpsPort;

  HttpsRedirectHandler(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      host = host.substring(0, colon);
    }
    String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + request.uri();
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT, Unpooled.EMPTY_BUFFER);
    response.headers().set(HttpHeaderNames.LOCATION, location).set(HttpHeaderNames.CONTENT_LENGTH, 0)
        .set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
