package dev.berth.registry.http;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.connection.ConnectionGuard;
import dev.berth.registry.metrics.PrometheusMetrics;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.tls.ServerTlsContext;
import dev.berth.registry.storage.RegistryStorage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP server on Netty: binds {@code http.addr}, optionally TLS, and serves the OCI Distribution API.
 * Storage work runs on a bounded pool of blocking threads, one serial lane per connection; the event loops only
 * parse and write.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
  private static final long DRAIN_MILLIS = 20_000;
  private static final int IO_THREADS = 64;
  private static final java.time.Duration TLS_RELOAD_INTERVAL = java.time.Duration.ofSeconds(2);

  private final RegistryConfig config;
  private final RegistryApi api;
  private final ResponseDecorator decorator;
  private final AccessLog accessLog;
  private final ServerTlsContext tls;
  private final boolean chunkedWrites;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ConnectionGuard guard;
  private final RegistryMetrics metrics;
  private final dev.berth.registry.notify.Notifier notifier;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService blocking;
  private Channel listener;
  private Channel redirectListener;
  private Channel debugListener;

  /**
   * A server for {@code config}: TLS from {@code http.tls} (reloaded when the files change), the token endpoint when
   * {@code authenticator} has one.
   */
  public RegistryServer(RegistryConfig config, RegistryStorage storage, Authenticator authenticator) {
    this(config, storage, authenticator, null);
  }

  /** As above, with the pull-through cache answering for its repositories ({@code cache} null: none). */
  public RegistryServer(RegistryConfig config, RegistryStorage storage, Authenticator authenticator,
      dev.berth.registry.proxy.PullThroughCache cache) {
    this(config, storage, authenticator, cache, RegistryMetrics.NONE);
  }

  /**
   * As above, recording into {@code metrics}, which the debug listener ({@code http.debug.addr}) serves when they are
   * {@link PrometheusMetrics} and {@code http.debug.prometheus.enabled} is on. The caller owns (closes) them.
   */
  public RegistryServer(RegistryConfig config, RegistryStorage storage, Authenticator authenticator,
      dev.berth.registry.proxy.PullThroughCache cache, RegistryMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.tls = config.http().tlsEnabled() ? ServerTlsContext.load(config.http().tls()) : null;
    WritePolicy policy = new WritePolicy(config.storage().deleteEnabled(), config.storage().readOnly());
    this.notifier = dev.berth.registry.notify.Notifier.start(config.notifications());
    notifier.stats().forEach(metrics::notifications);
    EventRecorder events = notifier.enabled()
        ? new EventRecorder(notifier, java.time.Clock.systemUTC(), eventSource()) : EventRecorder.NONE;
    BlobEndpoint blobs = new BlobEndpoint(storage, policy, events, metrics);
    this.api = new RegistryApi(authenticator, new ProbeEndpoints(storage), new ManifestEndpoint(storage, policy, events),
        blobs, new UploadEndpoint(storage, policy, metrics, events), new ListingEndpoints(storage),
        new TokenRoute(authenticator.tokenEndpoint()), cache == null ? null : new CacheEndpoint(cache, blobs, events))
        .withUi(new UiEndpoint(config.ui().enabled(), new dev.berth.registry.ui.UiAssets(),
            new dev.berth.registry.ui.RepositoryBrowser(storage, policy.deleteEnabled() && !policy.readOnly()),
            authenticator));
    this.chunkedWrites = tls != null || cache != null;
    this.decorator = new ResponseDecorator(config.http().headers());
    this.accessLog = new AccessLog(config.log());
    this.guard = new ConnectionGuard(config.http().timeouts(), config.http().limits(), System::nanoTime);
  }

  /**
   * distribution's {@code source}: this host's name with the listening port, and an id for this process's life (it
   * tells replicas and restarts apart).
   */
  private java.util.function.Supplier<dev.berth.registry.notify.Event.Source> eventSource() {
    String instance = java.util.UUID.randomUUID().toString();
    String hostname;
    try {
      hostname = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      hostname = config.http().host();
    }
    String host = hostname;
    return () -> new dev.berth.registry.notify.Event.Source(host + ":" + port(), instance);
  }

  /** Each notification endpoint's counts by name (empty without endpoints). */
  public java.util.Map<String, dev.berth.registry.notify.NotificationStats> notificationStats() {
    return notifier.stats();
  }

  /** Binds and starts serving; returns once the listener is up. */
  public RegistryServer start() {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    AtomicInteger threadIds = new AtomicInteger();
    blocking = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "berth-io-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
    Exchange.RequestListener onFinished = new Exchange.RequestListener() {
      @Override
      public void routed(Exchange exchange) {
        metrics.requestStarted(exchange.handler());
      }

      @Override
      public void finished(Exchange exchange, int status, long bytes, long nanos) {
        inFlight.decrementAndGet();
        metrics.requestFinished(exchange.handler(), exchange.method().name(), status, exchange.bytesReceived(), bytes,
            nanos);
        accessLog.log(exchange, status, bytes, nanos);
      }
    };
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new RegistryChannelInitializer(guard, connections, tls, chunkedWrites, () -> new ChannelHandler[] {
            new InFlightCounter(inFlight), new RequestHandler(api, decorator, onFinished, blocking)}));
    RegistryConfig.Http http = config.http();
    listener = bind(bootstrap, http.host(), http.port());
    if (tls != null) {
      tls.watch(TLS_RELOAD_INTERVAL);
      if (http.redirect() != null) {
        redirectListener = bind(redirectBootstrap(port()), http.redirect().host(), http.redirect().port());
        LOG.info("redirecting plain HTTP on {} to https", redirectListener.localAddress());
      }
    }
    if (tls != null) {
      metrics.certificateExpiry(() -> tls.certificateChain().get(0).getNotAfter().toInstant());
    }
    if (http.debug() != null) {
      debugListener = bind(debugBootstrap(http.debug()), http.debug().host(), http.debug().port());
      LOG.info("debug listener on {} ({})", debugListener.localAddress(), http.metricsEnabled()
          ? "metrics at " + http.debug().prometheusPath()
          : "no metrics: set http.debug.prometheus.enabled to serve them");
    }
    LOG.info("listening on {} ({}; at most {} connections)", listener.localAddress(),
        tls != null ? "https, " + tls.provider() : "http", guard.limiter().cap());
    return this;
  }

  /**
   * The debug listener: plain HTTP, small requests, one page, sharing the registry's event loops. It is not behind the
   * connection guard (it is meant for a private address); idle connections are closed after a minute.
   */
  private ServerBootstrap debugBootstrap(RegistryConfig.Debug debug) {
    java.util.function.Supplier<String> scrape = debug.prometheusEnabled() && metrics instanceof PrometheusMetrics p
        ? p::scrape : null;
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new io.netty.channel.ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ReadTimeoutHandler(60), new HttpServerCodec(), new HttpObjectAggregator(8192),
                new DebugHandler(debug.prometheusPath(), scrape, PrometheusMetrics.CONTENT_TYPE, blocking));
          }
        });
  }

  private ServerBootstrap redirectBootstrap(int httpsPort) {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new RegistryChannelInitializer(guard, connections, null, false,
            () -> new ChannelHandler[] {new HttpsRedirectHandler(httpsPort)}));
  }

  private Channel bind(ServerBootstrap bootstrap, String host, int port) {
    InetSocketAddress address = host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    try {
      return bootstrap.bind(address).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + address, e);
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The bound port of the plain-HTTP redirect listener ({@code http.redirect.addr} may ask for port 0). */
  public int redirectPort() {
    if (redirectListener == null) {
      throw new IllegalStateException("no redirect listener: http.redirect.addr is off or TLS is not enabled");
    }
    return ((InetSocketAddress) redirectListener.localAddress()).getPort();
  }

  /** The bound port of the debug listener ({@code http.debug.addr} may ask for port 0). */
  public int debugPort() {
    if (debugListener == null) {
      throw new IllegalStateException("no debug listener: http.debug.addr is not set");
    }
    return ((InetSocketAddress) debugListener.localAddress()).getPort();
  }

  /** The connection cap, its counters and the timeout counters. */
  ConnectionGuard connectionGuard() {
    return guard;
  }

  /** Requests whose head has arrived and whose response is not yet written. */
  int inFlight() {
    return inFlight.get();
  }

  /** Stops accepting, lets in-flight requests finish (bounded), then releases the event loops. */
  @Override
  public void close() {
    if (redirectListener != null) {
      redirectListener.close().awaitUninterruptibly();
    }
    if (debugListener != null) {
      debugListener.close().awaitUninterruptibly();
    }
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    if (inFlight.get() > 0) {
      LOG.warn("shutting down with {} requests still in flight", inFlight.get());
    }
    connections.close().awaitUninterruptibly();
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    if (blocking != null) {
      blocking.shutdown();
    }
    if (tls != null) {
      tls.close();
    }
    notifier.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
