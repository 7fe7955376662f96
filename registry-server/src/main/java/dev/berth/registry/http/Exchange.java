package dev.berth.registry.http;

import dev.berth.registry.auth.AuthRequest;
import dev.berth.registry.metrics.DownloadRoute;
import dev.berth.registry.metrics.Handler;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.storage.OpenBlob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its response. Endpoints read the request through it and answer with exactly one of the
 * {@code respond*} methods; it adds the headers every response carries, closes the connection when the client asked,
 * and reports the finished request to the access log.
 */
final class Exchange {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Exchange.class);
  private static final int FILE_CHUNK = 64 * 1024;
  private static final int STREAM_CHUNK = 256 * 1024;
  /** A client that takes longer than this to accept one chunk of a streamed blob is dropped. */
  private static final java.time.Duration STREAM_WRITE_LIMIT = java.time.Duration.ofMinutes(2);
  private static final int CLIENT_CLOSED = 499;

  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final QueryStringDecoder query;
  private final ResponseDecorator decorator;
  private final RequestListener listener;
  private final long startNanos = System.nanoTime();
  private volatile boolean keepAlive;
  private final AtomicBoolean responded = new AtomicBoolean();
  private volatile String user = "-";
  private String requestId;
  /** The client sent {@code Expect: 100-continue} and has not been told to go on yet. */
  private volatile boolean awaitingContinue;
  /** The route's metrics name once routed; null before, and for a request no route takes. */
  private volatile Handler handler;
  /** Body bytes read so far; written on the event loop only. */
  private volatile long bytesReceived;

  Exchange(ChannelHandlerContext ctx, HttpRequest request, ResponseDecorator decorator, RequestListener listener) {
    this.ctx = ctx;
    this.request = request;
    this.query = new QueryStringDecoder(request.uri());
    this.decorator = decorator;
    this.listener = listener;
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.awaitingContinue = HttpUtil.is100ContinueExpected(request);
  }

  /** Told when a response has been fully written (or failed), for the access log and in-flight accounting. */
  interface RequestListener {
    /** The request was routed ({@link #handler()} is set); it always comes before {@link #finished}. */
    default void routed(Exchange exchange) {}

    void finished(Exchange exchange, int status, long bytes, long durationNanos);
  }

  /** Names the route that takes this request, for the metrics; at most once, and before any response. */
  void routed(Handler routedTo) {
    if (handler == null && routedTo != Handler.UNKNOWN) {
      handler = routedTo;
      listener.routed(this);
    }
  }

  /** The route's metrics name, or null when no route took the request. */
  Handler handler() {
    return handler;
  }

  /** Counts body bytes as they are read (called by {@link RequestHandler} on the event loop). */
  void received(int bytes) {
    bytesReceived += bytes;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  HttpMethod method() {
    return request.method();
  }

  String path() {
    return query.path();
  }

  String uri() {
    return request.uri();
  }

  String header(CharSequence name) {
    return request.headers().get(name);
  }

  List<String> headers(CharSequence name) {
    return request.headers().getAll(name);
  }

  /** The first value of a query parameter, or null. */
  String param(String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  Map<String, List<String>> params() {
    return query.parameters();
  }

  InetAddress client() {
    return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
  }

  boolean secure() {
    return ctx.pipeline().get(SslHandler.class) != null;
  }

  /** What the authenticator sees of this request. */
  AuthRequest authRequest() {
    return new AuthRequest(header(HttpHeaderNames.AUTHORIZATION), client(), header(HttpHeaderNames.HOST), secure());
  }

  String user() {
    return user;
  }

  /** A UUID for this request, made on first use (only events need one). */
  synchronized String requestId() {
    if (requestId == null) {
      requestId = java.util.UUID.randomUUID().toString();
    }
    return requestId;
  }

  void user(String subject) {
    this.user = subject;
  }

  /**
   * The client went away before a response was written: the request is logged (status 499, as nginx does) and no
   * longer counts as in flight, so a graceful shutdown does not wait for it.
   */
  void abandon() {
    if (responded.compareAndSet(false, true)) {
      listener.finished(this, CLIENT_CLOSED, 0, System.nanoTime() - startNanos);
    }
  }

  /**
   * Tells a client waiting on {@code Expect: 100-continue} to send its body. Called once the request has passed
   * authentication, authorization and the endpoint's own checks, so a refused body is never read.
   */
  void sendContinueIfExpected() {
    if (awaitingContinue) {
      awaitingContinue = false;
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
  }

  /** The connection ends once this response is written (a malformed request leaves the stream unusable). */
  void closeAfterResponse() {
    keepAlive = false;
  }

  boolean responded() {
    return responded.get();
  }

  /** A response with a small in-memory body (JSON, manifests); Content-Length is set. HEAD sends headers only. */
  void respond(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    if (!responded.compareAndSet(false, true)) {
      return;
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(headers);
    HttpUtil.setContentLength(response, body.length);
    decorate(response);
    finish(ctx.writeAndFlush(response), status.code(), head ? 0 : body.length);
  }

  /** Headers only, announcing {@code length} bytes that a GET would send (blob HEAD). */
  void respondHead(HttpResponseStatus status, HttpHeaders headers, long length) {
    if (!responded.compareAndSet(false, true)) {
      return;
    }
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response.headers().set(headers);
    HttpUtil.setContentLength(response, length);
    decorate(response);
    finish(ctx.writeAndFlush(response), status.code(), 0);
  }

  void respond(HttpResponseStatus status, HttpHeaders headers) {
    respond(status, headers, new byte[0]);
  }

  void respondJson(HttpResponseStatus status, HttpHeaders headers, Object body) {
    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    respond(status, headers, Json.write(body));
  }

  /** The spec's error body: {@code {"errors":[{"code","message","detail"}]}}. */
  void respondError(RegistryException e) {
    respondError(e, new DefaultHttpHeaders());
  }

  void respondError(RegistryException e, HttpHeaders headers) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.code().name());
    error.put("message", e.getMessage());
    error.put("detail", e.detail());
    respondJson(HttpResponseStatus.valueOf(e.httpStatus()), headers, Map.of("errors", List.of(error)));
  }

  void respondError(ErrorCode code, String message) {
    respondError(new RegistryException(code, message));
  }

  /**
   * Streams {@code count} bytes of a file from {@code position}. Plain HTTP uses sendfile ({@link DefaultFileRegion}),
   * so the bytes never enter the heap; under TLS they must be encrypted, so they go through in chunks. The channel is
   * closed when the transfer ends.
   */
  void respondFile(HttpResponseStatus status, HttpHeaders headers, FileChannel file, long position, long count) {
    if (!responded.compareAndSet(false, true)) {
      closeQuietly(file);
      return;
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(headers);
    HttpUtil.setContentLength(response, count);
    decorate(response);
    if (HttpMethod.HEAD.equals(request.method())) {
      closeQuietly(file);
      ctx.write(response);
      finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), status.code(), 0);
      return;
    }
    ctx.write(response);
    try {
      if (secure()) {
        ctx.write(new ChunkedNioFile(file, position, count, FILE_CHUNK));
      } else {
        ctx.write(new DefaultFileRegion(file, position, count));
      }
    } catch (IOException e) {
      closeQuietly(file);
      ctx.close();
      return;
    }
    ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    last.addListener(f -> closeQuietly(file));
    finish(last, status.code(), count);
  }

  /**
   * Streams {@code count} bytes of an object-store blob from {@code position}. When the store signs the range, Netty
   * fetches it on this connection's event loop and relays the store's buffers as they come ({@link ObjectRelay});
   * otherwise, or when that request is not answered as asked, the blob is read through the store's client in chunks
   * on the calling worker thread (never the event loop), at most two chunks in flight, so a slow client holds about
   * two chunks of memory. A failure after the headers went out can only end the connection.
   *
   * @return how the bytes went: relayed, or read through the store's client; empty when no bytes are sent (HEAD, an
   *         empty range, a request already answered)
   */
  Optional<DownloadRoute> respondStream(HttpResponseStatus status, HttpHeaders headers, OpenBlob.RangeReader ranges,
      long position, long count) {
    if (!responded.compareAndSet(false, true)) {
      return Optional.empty();
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(headers);
    HttpUtil.setContentLength(response, count);
    decorate(response);
    if (HttpMethod.HEAD.equals(request.method()) || count == 0) {
      ctx.write(response);
      finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), status.code(), 0);
      return Optional.empty();
    }
    Optional<ObjectRelay.Upstream> relay = openRelay(ranges, position, count);
    ctx.write(response);
    if (relay.isPresent()) {
      relay.get().relayTo(ctx, sent -> {
        if (sent == count) {
          finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), status.code(), count);
        } else {
          finish(ctx.channel().closeFuture(), status.code(), sent);
        }
      });
      return Optional.of(DownloadRoute.RELAY);
    }
    copyStream(status, ranges, position, count);
    return Optional.of(DownloadRoute.CLIENT);
  }

  private Optional<ObjectRelay.Upstream> openRelay(OpenBlob.RangeReader ranges, long position, long count) {
    try {
      return ranges.presign(position, count).flatMap(read -> ObjectRelay.open(ctx.channel(), read, count));
    } catch (RuntimeException e) {
      LOG.debug("no signed range for the download, reading it through the store's client: {}", e.toString());
      return Optional.empty();
    }
  }

  private void copyStream(HttpResponseStatus status, OpenBlob.RangeReader ranges, long position, long count) {
    ChannelFuture previous = null;
    long sent = 0;
    // One array for the whole response: reading a stream straight into a direct buffer would allocate a fresh
    // array of the chunk's size on every read, and filling it whole keeps the chunks (and the writes) full-sized.
    byte[] transfer = new byte[(int) Math.min(STREAM_CHUNK, count)];
    try (InputStream in = ranges.open(position, count)) {
      while (sent < count) {
        int wanted = (int) Math.min(transfer.length, count - sent);
        int read = in.readNBytes(transfer, 0, wanted);
        if (read < wanted) {
          throw new IOException("blob stream ended after " + (sent + read) + " of " + count + " bytes");
        }
        ByteBuf chunk = ctx.alloc().directBuffer(read);
        chunk.writeBytes(transfer, 0, read);
        sent += read;
        ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(chunk));
        if (previous != null && !awaitWritten(previous)) {
          finish(ctx.channel().closeFuture(), status.code(), sent);
          return;
        }
        previous = written;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("blob stream failed after {} of {} bytes: {}", sent, count, e.toString());
      finish(ctx.close(), status.code(), sent);
      return;
    }
    finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), status.code(), count);
  }

  /**
   * Streams a body that is still arriving (a blob the pull-through cache is fetching) through the pipeline's
   * {@link io.netty.handler.stream.ChunkedWriteHandler}. When the input fails, the connection is closed before
   * {@code length} bytes went out, so the client sees a truncated transfer, never a complete wrong one.
   */
  void respondArriving(HttpResponseStatus status, HttpHeaders headers, long length,
      io.netty.handler.stream.ChunkedInput<?> input) {
    if (!responded.compareAndSet(false, true)) {
      closeQuietly(input);
      return;
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(headers);
    HttpUtil.setContentLength(response, length);
    decorate(response);
    ctx.write(response);
    ChannelFuture body = ctx.writeAndFlush(input);
    body.addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close();
      }
    });
    ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    finish(last, status.code(), length);
  }

  /** The handler context, for inputs that must resume a paused transfer. */
  ChannelHandlerContext context() {
    return ctx;
  }

  private static void closeQuietly(io.netty.handler.stream.ChunkedInput<?> input) {
    try {
      input.close();
    } catch (Exception ignored) {
      // not sent; nothing to save
    }
  }

  /** Waits (bounded) for a chunk to reach the socket; false, with the connection closed, when it did not. */
  private boolean awaitWritten(ChannelFuture future) {
    try {
      if (future.await(STREAM_WRITE_LIMIT.toMillis()) && future.isSuccess()) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ctx.close();
    return false;
  }

  private void decorate(HttpResponse response) {
    decorator.decorate(response.headers());
    if (awaitingContinue) {
      // answered without asking for the body: the client may send it anyway or not at all, so the stream's next
      // bytes are unknowable and the connection ends here (RFC 9110 section 10.1.1)
      keepAlive = false;
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private void finish(ChannelFuture future, int status, long bytes) {
    future.addListener(f -> listener.finished(this, status, bytes, System.nanoTime() - startNanos));
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException ignored) {
      // nothing to do: the transfer is over either way
    }
  }
}
