package dev.berth.operator.nodeagent;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local endpoint for Docker nodes (opt-in): a plain TCP forwarder from a port on the node (the agent pod's
 * hostPort) to the registry Service, so Docker pulls from {@code localhost:<port>}, as minikube's registry-proxy does.
 * TLS passes through untouched. Bounded: at most {@code maxConnections} at once, each target connect bounded by
 * {@code connectTimeout}; reads are paced by writes (no unbounded buffering when one side is slow).
 */
public final class LocalForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalForwarder.class);

  private final InetSocketAddress listen;
  private final String targetHost;
  private final int targetPort;
  private final int maxConnections;
  private final Duration connectTimeout;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private Channel server;

  public LocalForwarder(String bindHost, int bindPort, String targetHost, int targetPort, int maxConnections,
      Duration connectTimeout) {
    if (bindPort < 0 || bindPort > 65535 || targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("ports must be within 1-65535 (0 to bind any free port)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    this.listen = new InetSocketAddress(bindHost, bindPort);
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.maxConnections = maxConnections;
    this.connectTimeout = connectTimeout;
  }

  /** Binds the listening port; throws when it cannot (port taken, no permission). */
  public LocalForwarder start() {
    try {
      server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel inbound) {
              inbound.pipeline().addLast(new Accept());
            }
          })
          .bind(listen).sync().channel();
      LOG.info("node-local endpoint {} forwards to {}:{}", server.localAddress(), targetHost, targetPort);
      return this;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while binding " + listen, e);
    } catch (Exception e) { // Netty rethrows the bind's checked exception unchecked
      close();
      throw new IllegalStateException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Client connections currently open (each has one matching target connection). */
  public int activeConnections() {
    return (int) connections.stream().filter(channel -> channel.parent() != null).count();
  }

  public boolean forwardsTo(String host, int port, int localPort) {
    return targetHost.equals(host) && targetPort == port && listen.getPort() == localPort;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** On a new client connection: refuse beyond the limit, else connect to the target and start relaying. */
  private final class Accept extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel inbound = ctx.channel();
      if (activeConnections() >= maxConnections) {
        LOG.warn("node-local endpoint: {} connections open, refusing {}", maxConnections, inbound.remoteAddress());
        inbound.close();
        return;
      }
      connections.add(inbound);
      new Bootstrap()
          .group(inbound.eventLoop())
          .channel(NioSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
          .handler(new Relay(inbound))
          .connect(targetHost, targetPort)
          .addListener((ChannelFutureListener) connected -> {
            if (connected.isSuccess() && !inbound.isActive()) {
              connected.channel().close(); // the client left while we were connecting: nothing to relay for
            } else if (connected.isSuccess()) {
              Channel outbound = connected.channel();
              connections.add(outbound);
              ctx.pipeline().replace(Accept.this, "relay", new Relay(outbound));
              inbound.read();
              outbound.read();
            } else {
              LOG.warn("node-local endpoint: cannot reach {}:{}: {}", targetHost, targetPort,
                  connected.cause().getMessage());
              inbound.close();
            }
          });
    }
  }

  /** Copies what one side reads to the other, reading the next chunk only once the last one is written. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel other;

    Relay(Channel other) {
      this.other = other;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      other.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
        if (written.isSuccess()) {
          ctx.channel().read();
        } else {
          written.channel().close();
          ctx.channel().close();
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (other.isActive()) {
        other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.channel().close();
    }
  }
}
