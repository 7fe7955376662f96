package dev.berth.registry.testsupport;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.Main;
import dev.berth.registry.proxy.PullThroughCache;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.ListingRefresher;
import dev.berth.registry.storage.ReferenceFence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Berth started in this JVM, built the way the server's own startup builds it: by default on a free loopback port,
 * serving a filesystem root with no auth; or with any loopback configuration (TLS, auth, redirect listener).
 */
public final class BerthRegistry implements RunningRegistry {
  private final RegistryServer server;
  private final Authenticator authenticator;
  private PullThroughCache cache;
  private final ListingRefresher refresher;
  private final DriverStorage storage;
  private final Path root;
  private boolean closed;

  private BerthRegistry(RegistryServer server, Authenticator authenticator, ListingRefresher refresher,
      DriverStorage storage, Path root) {
    this.server = server;
    this.storage = storage;
    this.authenticator = authenticator;
    this.refresher = refresher;
    this.root = root;
  }

  public static BerthRegistry start(Path root) {
    return start(BerthConfigs.loopback(root, 0));
  }

  /** Serves an s3proxy bucket. */
  public static BerthRegistry startOnS3(S3Bucket bucket) {
    return startOnS3(bucket, files -> ReferenceFence.NONE);
  }

  /** Serves an s3proxy bucket, reporting to {@code metrics}. */
  public static BerthRegistry startOnS3(S3Bucket bucket, dev.berth.registry.metrics.RegistryMetrics metrics) {
    RegistryConfig config = BerthConfigs.loopbackS3(bucket, 0);
    return start(config, bucket.root(), new dev.berth.registry.storage.S3Storage(config.storage().s3(),
        config.storage().listingsRefresh()), java.time.Clock.systemUTC(), metrics);
  }

  /** Serves an s3proxy bucket with storage whose new references pass {@code fence} (garbage collection tests). */
  public static BerthRegistry startOnS3(S3Bucket bucket,
      java.util.function.Function<dev.berth.registry.storage.StorageFiles, ReferenceFence> fence) {
    RegistryConfig config = BerthConfigs.loopbackS3(bucket, 0);
    return start(config, bucket.root(), new dev.berth.registry.storage.S3Storage(config.storage().s3(),
        config.storage().listingsRefresh(), fence), java.time.Clock.systemUTC());
  }

  /** Serves {@code config}'s storage root (created when absent) with its TLS and auth settings. */
  public static BerthRegistry start(RegistryConfig config) {
    return start(config, ReferenceFence.NONE, java.time.Clock.systemUTC());
  }

  /** As above; with {@code proxy} configured, the pull-through cache answers for its repositories; on {@code clock}. */
  public static BerthRegistry start(RegistryConfig config, java.time.Clock clock) {
    return start(config, ReferenceFence.NONE, clock);
  }

  /** As {@link #start(RegistryConfig)}, with storage whose new references pass {@code fence} (garbage collection tests). */
  public static BerthRegistry start(RegistryConfig config, ReferenceFence fence) {
    return start(config, fence, java.time.Clock.systemUTC());
  }

  /**
   * As {@link #start(RegistryConfig, ReferenceFence)}; {@code clock} is the storage's (upload times, tag pushes and
   * pulls) and the pull-through cache's.
   */
  public static BerthRegistry start(RegistryConfig config, ReferenceFence fence, java.time.Clock clock) {
    Path root = config.storage().rootDirectory();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(config, root, config.storage().s3() != null ? Main.storageFor(config.storage())
        : new FilesystemStorage(root, clock, config.storage().listingsRefresh(), fence), clock);
  }

  private static BerthRegistry start(RegistryConfig config, Path root, DriverStorage storage, java.time.Clock clock) {
    return start(config, root, storage, clock, dev.berth.registry.metrics.RegistryMetrics.NONE);
  }

  private static BerthRegistry start(RegistryConfig config, Path root, DriverStorage storage, java.time.Clock clock,
      dev.berth.registry.metrics.RegistryMetrics metrics) {
    Authenticator authenticator = Authenticators.fromConfig(config.auth());
    PullThroughCache cache = config.proxy().enabled()
        ? new PullThroughCache(config.proxy(), storage, root.resolve(Main.SPOOL_DIRECTORY), clock) : null;
    RegistryServer server = new RegistryServer(config, storage, authenticator, cache, metrics).start();
    BerthRegistry registry = new BerthRegistry(server, authenticator,
        ListingRefresher.start(storage, config.storage().listingsRefresh()), storage, root);
    registry.cache = cache;
    return registry;
  }

  /** Each notification endpoint's counts by name. */
  public java.util.Map<String, dev.berth.registry.notify.NotificationStats> notificationStats() {
    return server.notificationStats();
  }

  /** The storage it serves. */
  public DriverStorage storage() {
    return storage;
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + server.port();
  }

  public int port() {
    return server.port();
  }

  /** The plain-HTTP redirect listener's port, when the configuration has one. */
  public int redirectPort() {
    return server.redirectPort();
  }

  /** The pull-through cache, or null when none is configured. */
  public PullThroughCache cache() {
    return cache;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.close();
      authenticator.close();
      refresher.close();
      if (cache != null) {
        cache.close();
      }
      storage.close();
    }
  }
}
