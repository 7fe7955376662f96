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
  private final Supplier<ChannelHandler[]> application;

  /**
   * @param tls         null for plain HTTP
   * @param application the handlers after the phase tracker, fresh for each connection
   */
  RegistryChannelInitializer(ConnectionGuard guard, ChannelGroup connections, ServerTlsContext tls,
      Supplier<ChannelHandler[]> application) {
    this.guard = guard;
    this.connections = connections;
    this.tls = tls;
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
    // TLS needs chunked file writes, and a blob the pull-through cache is fetching is sent in chunks as it arrives;
    // a FileRegion passes through untouched, so plain HTTP still hands files straight to sendfile
    p.addLast("chunked", new ChunkedWriteHandler());
    p.addLast(application.get());
  }
}
