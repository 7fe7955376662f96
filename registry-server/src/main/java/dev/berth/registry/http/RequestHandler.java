package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's protocol driver: hands each request to {@link RegistryApi} and each body chunk to the request's
 * {@link BodySink}, all on the connection's {@link SerialExecutor} so that storage I/O never blocks the event loop.
 * Bodies are never aggregated; when the worker falls behind, reading from the socket pauses (backpressure), so memory
 * per upload stays bounded by {@link #HIGH_WATER}.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
  static final long HIGH_WATER = 4L << 20;
  private static final long LOW_WATER = 1L << 20;

  private final RegistryApi api;
  private final ResponseDecorator decorator;
  private final Exchange.RequestListener listener;
  private final SerialExecutor worker;
  private final AtomicLong queuedBytes = new AtomicLong();
  private ChannelHandlerContext ctx;
  private Request current;
  private volatile boolean stopped;

  RequestHandler(RegistryApi api, ResponseDecorator decorator, Exchange.RequestListener listener, Executor pool) {
    this.api = api;
    this.decorator = decorator;
    this.listener = listener;
    this.worker = new SerialExecutor(pool);
  }

  /** A request in progress: its exchange and, once the endpoint has looked at the headers, its body sink. */
  private static final class Request {
    final Exchange exchange;
    BodySink sink;
    boolean ended;

    Request(Exchange exchange) {
      this.exchange = exchange;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest httpRequest) {
        RegistryException refused = RequestChecks.check(httpRequest).orElse(null);
        if (refused != null) {
          reject(ctx, httpRequest, refused);
          return;
        }
        Request request = new Request(new Exchange(ctx, httpRequest, decorator, listener));
        current = request;
        worker.execute(() -> begin(request));
      }
      if (msg instanceof HttpContent content && current != null) {
        Request request = current;
        boolean last = content instanceof LastHttpContent;
        if (last) {
          current = null;
        }
        ByteBuf chunk = content.content().retain();
        int size = chunk.readableBytes();
        request.exchange.received(size);
        pauseIfBehind(size);
        worker.execute(() -> {
          try {
            body(request, chunk, last);
          } finally {
            chunk.release();
            resumeIfCaughtUp(size);
          }
        });
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void begin(Request request) {
    try {
      request.sink = api.handle(request.exchange);
    } catch (RegistryException e) {
      request.exchange.respondError(e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.exchange.method(), request.exchange.path(), e);
      request.exchange.respondError(ErrorCode.UNKNOWN, internalError(e));
    }
    if (request.sink == null) {
      request.sink = BodySink.DISCARD;
    }
    // Only now, with the caller authenticated and authorized and the endpoint ready for it, is the body asked for;
    // a request answered already gets no 100 and its connection closes after the answer (see Exchange).
    if (!request.exchange.responded()) {
      request.exchange.sendContinueIfExpected();
    }
  }

  private void body(Request request, ByteBuf chunk, boolean last) {
    if (request.ended) {
      return;
    }
    try {
      if (chunk.isReadable()) {
        request.sink.accept(chunk);
      }
      if (last) {
        request.ended = true;
        request.sink.finish();
      }
    } catch (RegistryException e) {
      failBody(request, e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed while reading the body", request.exchange.method(), request.exchange.path(), e);
      failBody(request, new RegistryException(ErrorCode.UNKNOWN, internalError(e)));
    }
    if (last && !request.exchange.responded()) {
      LOG.error("{} {} ended without a response", request.exchange.method(), request.exchange.path());
      request.exchange.respondError(ErrorCode.UNKNOWN, "internal error: no response");
    }
  }

  /**
   * The client's message for a failure it cannot fix: storage failures (the storage logged bucket or path and key)
   * say so, so a client's retry is a reasonable answer; the details stay in the log.
   */
  private static String internalError(RuntimeException e) {
    return e instanceof java.io.UncheckedIOException ? "storage failed; the registry's log has the details"
        : "internal error: " + e.getClass().getSimpleName();
  }

  private void failBody(Request request, RegistryException e) {
    BodySink failed = request.sink;
    request.sink = BodySink.DISCARD;
    try {
      failed.abort();
    } finally {
      request.exchange.respondError(e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Request request = current;
    current = null;
    if (request != null) {
      // The client went away mid-body: the sink discards what it had; nothing half-written becomes visible.
      worker.execute(() -> {
        if (!request.ended) {
          request.ended = true;
          if (request.sink != null) {
            request.sink.abort();
          }
        }
        request.exchange.abandon();
      });
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** Answered in order after the requests before it; nothing more is read from this connection. */
  private void reject(ChannelHandlerContext ctx, HttpRequest httpRequest, RegistryException refusal) {
    Exchange exchange = new Exchange(ctx, httpRequest, decorator, listener);
    current = null;
    stopped = true;
    ctx.channel().config().setAutoRead(false);
    worker.execute(() -> {
      exchange.closeAfterResponse();
      exchange.respondError(refusal);
    });
  }

  private void pauseIfBehind(int size) {
    if (queuedBytes.addAndGet(size) > HIGH_WATER && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void resumeIfCaughtUp(int size) {
    if (queuedBytes.addAndGet(-size) < LOW_WATER && !ctx.channel().config().isAutoRead()) {
      ctx.executor().execute(() -> {
        if (!stopped && !ctx.channel().config().isAutoRead() && queuedBytes.get() < LOW_WATER) {
          ctx.channel().config().setAutoRead(true);
        }
      });
    }
  }
}
