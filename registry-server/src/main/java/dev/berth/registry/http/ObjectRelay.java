package dev.berth.registry.http;

import dev.berth.registry.storage.PresignedRead;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Fetches an object-store range with Netty's own HTTP client, on the event loop of the client's connection, and
 * relays the object store's buffers to the client as they arrive: no stream copies, no thread handoff per chunk, and
 * the object store's socket is read only as fast as the client takes the bytes. This is what makes an S3 pull cost
 * about what registry:2's costs; the SDK's stream stays the fallback whenever the signed request is not answered
 * with exactly the bytes asked for.
 */
final class ObjectRelay {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ObjectRelay.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long the object store may keep us waiting for the response or, during the transfer, for its next bytes. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private static final SslContext VERIFYING = clientTls(false);
  private static final SslContext TRUSTING_ALL = clientTls(true);

  private ObjectRelay() {}

  /**
   * Sends the signed request from {@code client}'s event loop and waits (on the calling worker thread) for the
   * response head. Present: the object store answered 206 with {@code length} bytes coming, and the caller must
   * {@link Upstream#relayTo relay} them. Empty: no such answer (nothing listening,
   * an error status, a timeout); the connection is already closed and nothing was sent to the client.
   */
  static Optional<Upstream> open(Channel client, PresignedRead read, long length) {
    Upstream upstream = new Upstream(length);
    String host = read.url().getHost();
    Bootstrap bootstrap = new Bootstrap()
        .group(client.eventLoop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
        .option(ChannelOption.AUTO_READ, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (read.secure()) {
              channel.pipeline().addLast(tlsHandler(channel, read, host));
            }
            channel.pipeline().addLast(
                new IdleStateHandler(READ_TIMEOUT.toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                new HttpClientCodec(),
                upstream);
          }
        });
    InetAddress address;
    try {
      // here on the worker thread: a lookup on the event loop would stall every connection it serves
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      LOG.debug("relay: cannot resolve {}; falling back to the SDK", host);
      return Optional.empty();
    }
    ChannelFuture connected = bootstrap.connect(new InetSocketAddress(address, read.port()));
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        upstream.head.complete(false);
        return;
      }
      DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, read.target());
      for (Map.Entry<String, List<String>> header : read.headers().entrySet()) {
        request.headers().add(header.getKey(), header.getValue());
      }
      if (!request.headers().contains(HttpHeaderNames.HOST)) {
        request.headers().set(HttpHeaderNames.HOST, host + (read.url().getPort() != -1 ? ":" + read.port() : ""));
      }
      request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      connected.channel().writeAndFlush(request);
    });
    boolean answered;
    try {
      answered = upstream.head.get(CONNECT_TIMEOUT.plus(READ_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answered = false;
    } catch (ExecutionException | TimeoutException e) {
      answered = false;
    }
    if (!answered) {
      connected.channel().close();
      LOG.debug("relay of {} bytes from {} not answered as asked ({}); falling back to the SDK", length, host,
          upstream.refusal);
      return Optional.empty();
    }
    return Optional.of(upstream);
  }

  private static SslHandler tlsHandler(SocketChannel channel, PresignedRead read, String host) {
    SslContext context = read.skipVerify() ? TRUSTING_ALL : VERIFYING;
    SslHandler handler = context.newHandler(channel.alloc(), host, read.port());
    if (!read.skipVerify()) {
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
    }
    return handler;
  }

  private static SslContext clientTls(boolean trustAll) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      if (trustAll) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("no TLS client for the object store", e);
    }
  }

  /**
   * The object store's side of one relay. Everything after {@link #open} runs on the shared event loop: reads from
   * the object store are written to the client and flushed per socket read; reading pauses while the client's
   * connection is unwritable and resumes when the last write reached its socket.
   */
  static final class Upstream extends ChannelInboundHandlerAdapter {
    private final long length;
    /** True once a 206 with the expected length arrived; false for any other outcome before that. */
    final CompletableFuture<Boolean> head = new CompletableFuture<>();
    /** Body bytes that arrived before {@link #relayTo}: at most what one socket read held after the head. */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private Channel channel;
    private ChannelHandlerContext client;
    private LongConsumer done;
    private long relayed;
    private ChannelFuture lastWrite;
    /** When reading last resumed after a pause for the client, so the pause does not count as the store's silence. */
    private long resumedAt = System.nanoTime();
    private boolean finished;
    private volatile String refusal = "no answer";

    private Upstream(long length) {
      this.length = length;
    }

    /**
     * Writes every byte to {@code client} (after the response head the caller wrote) and calls {@code done} once, on
     * the event loop, with the bytes relayed: all of them when the object store sent them all, fewer when it or the
     * client broke off, in which case the client's connection is closed so it sees a truncated transfer.
     */
    void relayTo(ChannelHandlerContext client, LongConsumer done) {
      channel.eventLoop().execute(() -> {
        this.client = client;
        this.done = done;
        client.channel().closeFuture().addListener(f -> channel.close());
        while (!early.isEmpty()) {
          forward(early.poll());
        }
        if (!finished) {
          client.flush();
          if (!channel.isActive()) {
            end(false);
            return;
          }
          resumeWhenWritable();
        }
      });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }

    /**
     * The response head through the HTTP codec; then the codec leaves the pipeline, since the body of a 206 with a
     * Content-Length is nothing but bytes, and those go to the client as they were read.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof HttpResponse response) {
        long announced = HttpUtil.getContentLength(response, -1L);
        if (response.status().code() == 206 && announced == length && !response.decoderResult().isFailure()
            && !(response instanceof HttpContent)) {
          // hold further reads until the caller decides; what this read already holds is kept in {@link #early}
          ctx.channel().config().setAutoRead(false);
          head.complete(true);
          // after the head is settled: removing the codec hands the bytes it holds to this handler at once
          ctx.pipeline().remove(HttpClientCodec.class);
        } else {
          refusal = response.status() + ", Content-Length " + announced + " for " + length + " bytes";
          head.complete(false);
          ctx.close();
        }
        ReferenceCountUtil.release(message);
        return;
      }
      if (!(message instanceof ByteBuf bytes) || !head.isDone() || !head.join()) {
        // the rest of a refused response
        ReferenceCountUtil.release(message);
      } else if (client == null) {
        early.add(bytes);
      } else {
        forward(bytes);
      }
    }

    private void forward(ByteBuf bytes) {
      if (finished) {
        bytes.release();
        return;
      }
      int size = bytes.readableBytes();
      if (relayed + size > length) {
        bytes.release();
        LOG.warn("object store sent more than the {} bytes announced; closing the download", length);
        end(false);
        return;
      }
      relayed += size;
      if (size > 0) {
        lastWrite = client.write(bytes);
      } else {
        bytes.release();
      }
      if (relayed == length) {
        end(true);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (client != null && !finished) {
        client.flush();
        if (!client.channel().isWritable()) {
          ctx.channel().config().setAutoRead(false);
          resumeWhenWritable();
        }
      }
    }

    /**
     * Reads on once what was written so far reached the client's socket. The newest write completing says so; the
     * channel's writability is not asked again there, since Netty updates it only after notifying the write.
     */
    private void resumeWhenWritable() {
      if (lastWrite == null || lastWrite.isDone() || client.channel().isWritable()) {
        resume();
        return;
      }
      lastWrite.addListener(f -> {
        if (f.isSuccess() && !finished) {
          resume();
        }
      });
    }

    private void resume() {
      resumedAt = System.nanoTime();
      channel.config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      head.complete(false);
      early.forEach(ByteBuf::release);
      early.clear();
      if (client != null && !finished) {
        LOG.warn("object store closed the download after {} of {} bytes", relayed, length);
        end(false);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      // a paused read is the client's slowness, which the client connection's own timeouts judge
      if (event instanceof IdleStateEvent && ctx.channel().config().isAutoRead()
          && System.nanoTime() - resumedAt >= READ_TIMEOUT.toNanos()) {
        refusal = "no bytes for " + READ_TIMEOUT.toSeconds() + " s";
        LOG.warn("object store sent nothing for {} s after {} of {} bytes", READ_TIMEOUT.toSeconds(), relayed, length);
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      refusal = cause.toString();
      LOG.debug("object store connection failed: {}", cause.toString());
      ctx.close();
    }

    private void end(boolean complete) {
      if (finished) {
        return;
      }
      finished = true;
      channel.close();
      if (!complete) {
        client.close();
      }
      done.accept(complete ? length : relayed);
    }
  }
}
