package dev.berth.registry.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The debug listener's one page ({@code http.debug.*}): the Prometheus exposition at the configured path; 404 for
 * anything else, and for that path too when {@code http.debug.prometheus.enabled} is off. The scrape runs on the
 * blocking pool, off the event loop the registry's connections share.
 */
final class DebugHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final String metricsPath;
  private final Supplier<String> scrape;
  private final String contentType;
  private final Executor pool;

  /** @param scrape null when the metrics are off */
  DebugHandler(String metricsPath, Supplier<String> scrape, String contentType, Executor pool) {
    this.metricsPath = metricsPath;
    this.scrape = scrape;
    this.contentType = contentType;
    this.pool = pool;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpMethod method = request.method();
    boolean head = HttpMethod.HEAD.equals(method);
    if (scrape == null || !new QueryStringDecoder(request.uri()).path().equals(metricsPath)) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "404 page not found\n", keepAlive, head);
    } else if (!HttpMethod.GET.equals(method) && !head) {
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "use GET\n", keepAlive, false);
    } else {
      pool.execute(() -> respond(ctx, HttpResponseStatus.OK, contentType, scrape.get(), keepAlive, head));
    }
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
      boolean keepAlive, boolean head) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(response, bytes.length);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
