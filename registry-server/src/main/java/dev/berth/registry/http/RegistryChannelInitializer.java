package dev.berth.registry.http;

import dev.berth.registry.http.connection.ConnectionGuard;
import dev.berth.registry.tls.ServerTlsContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.function.Supplier;

/**
 * The pipeline of every accepted connection: the connection guard's watchdog first (it must see raw bytes), TLS,
 * the HTTP codec, the guard's phase tracker, then the registry, or, on a connection the limiter refused, the refusal.
 * No {@code Expect: 100-continue} handler: {@link RequestHandler} answers it after authorization.
 */
final class RegistryChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final ConnectionGuard guard;
  private final ChannelGroup connections;
  private final ServerTlsContext tls;
  private final boolean chunkedWrites;
  private final Supplier<ChannelHandler[]> application;

  /**
   * @param tls         null for plain HTTP
   * @param chunkedWrites whether responses may be {@code ChunkedInput}s: TLS file bodies, and blobs the pull-through
   *                      cache sends as they arrive
   * @param application the handlers after the phase tracker, fresh for each connection
   */
  RegistryChannelInitializer(ConnectionGuard guard, ChannelGroup connections, ServerTlsContext tls,
      boolean chunkedWrites, Supplier<ChannelHandler[]> application) {
    this.guard = guard;
    this.connections = connections;
    this.tls = tls;
    this.chunkedWrites = chunkedWrites;
    this.application = application;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ConnectionGuard.Guarded guarded = guard.admit(ch);
    if (guarded.dropped()) {
      ch.close();
      return;
    }
    connections.add(ch);
    ChannelPipeline p = ch.pipeline();
    p.addLast("watchdog", guarded.watchdog());
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc()));
    }
    p.addLast("http", new HttpServerCodec());
    p.addLast("phases", guarded.phaseTracker());
    if (guarded.refusal() != null) {
      p.addLast("refuse", guarded.refusal());
      return;
    }
    if (chunkedWrites) {
      // only where needed: without it, plain HTTP hands each FileRegion straight to sendfile with no queue between
      p.addLast("chunked", new ChunkedWriteHandler());
    }
    p.addLast(application.get());
  }
}
