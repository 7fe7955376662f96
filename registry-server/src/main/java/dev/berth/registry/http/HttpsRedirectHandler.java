package dev.berth.registry.http;

import dev.berth.registry.tls.HttpsRedirect;
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
 * HTTPS port (400 when the Host header is not a plain host), and nothing is served in clear text.
 */
final class HttpsRedirectHandler extends SimpleChannelInboundHandler<HttpRequest> {
  private final int httpsPort;

  HttpsRedirectHandler(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
    String location = HttpsRedirect.location(request.headers().get(HttpHeaderNames.HOST), request.uri(), httpsPort)
        .orElse(null);
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        location == null ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.valueOf(HttpsRedirect.STATUS),
        Unpooled.EMPTY_BUFFER);
    if (location != null) {
      response.headers().set(HttpHeaderNames.LOCATION, location);
    }
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
