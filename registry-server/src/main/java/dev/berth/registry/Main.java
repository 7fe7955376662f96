package dev.berth.registry;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.cli.JvmShutdownWaiter;
import dev.berth.registry.cli.RegistryServerCommand;
import dev.berth.registry.cli.RunningServer;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.gc.FenceTiming;
import dev.berth.registry.gc.GarbageCollector;
import dev.berth.registry.gc.GcOptions;
import dev.berth.registry.gc.GcScheduler;
import dev.berth.registry.gc.LayoutGcStore;
import dev.berth.registry.gc.MarkerFence;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.metrics.PrometheusMetrics;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.proxy.PullThroughCache;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.S3Storage;
import java.util.Optional;
import dev.berth.registry.storage.ListingRefresher;
import dev.berth.registry.storage.StorageMaintenance;
import dev.berth.registry.tls.TlsMaterialException;
import java.time.Clock;

/**
 * {@code java -jar registry-server.jar [serve CONFIG.yml] [flags]}: parses the command line, loads the configuration
 * and wires storage, authentication and the HTTP server. Exit codes: 0 stopped, 1 failed to start, 2 bad config.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int exitCode = RegistryServerCommand.commandLine(System.getenv(), Main::launch, new JvmShutdownWaiter()).execute(args);
    // After a normal stop the JVM is already shutting down; exiting explicitly matters only for failures.
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * Starts the real server: filesystem storage under the configured root (swept for stale uploads unless read-only),
   * the configured authentication, then the HTTP listener. Unusable auth or TLS settings are config errors (exit 2).
   */
  static RunningServer launch(RegistryConfig config) {
    // Measured only when the debug listener serves the metrics; otherwise every recording call is an empty one.
    PrometheusMetrics prometheus = config.http().metricsEnabled() ? new PrometheusMetrics(Clock.systemUTC()) : null;
    RegistryMetrics metrics = prometheus == null ? RegistryMetrics.NONE : prometheus;
    Authenticator authenticator;
    try {
      authenticator = authenticatorFor(config.auth(), metrics);
    } catch (RuntimeException e) {
      closeMetrics(prometheus);
      throw e;
    }
    DriverStorage storage;
    PullThroughCache cache;
    try {
      storage = storageFor(config.storage());
      storage.measure(metrics);
    } catch (RuntimeException e) {
      authenticator.close();
      closeMetrics(prometheus);
      throw e;
    }
    try {
      cache = cacheFor(config, storage, metrics);
    } catch (RuntimeException e) {
      authenticator.close();
      closeStorage(storage);
      closeMetrics(prometheus);
      throw e;
    }
    RegistryServer server;
    try {
      server = new RegistryServer(config, storage, authenticator, cache, metrics);
    } catch (TlsMaterialException e) {
      authenticator.close();
      if (cache != null) {
        cache.close();
      }
      closeStorage(storage);
      closeMetrics(prometheus);
      throw new ConfigException(e.getMessage(), e); // its message already names the http.tls key and the file
    }
    StorageMaintenance maintenance;
    ListingRefresher refresher;
    GcScheduler collector;
    try {
      server.start();
      RegistryConfig.UploadPurging purging = config.storage().uploadPurging();
      maintenance = config.storage().readOnly() ? null
          : StorageMaintenance.start(storage, purging.enabled(), purging.age(), purging.interval());
      collector = config.storage().readOnly() || !config.gc().enabled() ? null
          : startCollector(config, storage, metrics);
      refresher = ListingRefresher.start(storage, config.storage().listingsRefresh());
    } catch (RuntimeException e) {
      server.close(); // releases the event loops and the TLS watcher a failed start leaves behind
      authenticator.close();
      if (cache != null) {
        cache.close();
      }
      closeStorage(storage);
      closeMetrics(prometheus);
      throw e;
    }
    return new RunningServer() {
      @Override
      public int port() {
        return server.port();
      }

      @Override
      public int debugPort() {
        return server.debugPort();
      }

      @Override
      public void close() {
        server.close();
        authenticator.close();
        refresher.close();
        if (cache != null) {
          cache.close();
        }
        if (maintenance != null) {
          maintenance.close();
        }
        if (collector != null) {
          collector.close();
        }
        closeStorage(storage);
        closeMetrics(prometheus);
      }
    };
  }

  private static void closeMetrics(PrometheusMetrics prometheus) {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  /**
   * The configured medium. On S3 the bucket is checked once at start, so a missing bucket, refused credentials or an
   * unreachable endpoint stop the server with one line naming the key to fix (exit 2) instead of failing pushes.
   */
  public static DriverStorage storageFor(RegistryConfig.Storage config) {
    if (config.s3() == null) {
      // Always fenced: a garbage-collect CLI may run against this root while the server serves it. The markers live
      // on disk, so this store and the collector's (or another process's) agree without sharing an instance.
      return new FilesystemStorage(config.rootDirectory(), config.listingsRefresh(),
          new MarkerFence(LayoutGcStore.filesystem(config.rootDirectory()), FenceTiming.DEFAULTS));
    }
    // fenced the same way: every replica, and any garbage-collect job, shares the markers in the bucket
    S3Storage s3 = new S3Storage(config.s3(), config.listingsRefresh(),
        files -> new MarkerFence(new LayoutGcStore(files), FenceTiming.DEFAULTS));
    Optional<S3Storage.BucketProblem> problem = s3.checkBucket();
    if (problem.isPresent()) {
      s3.close();
      throw new ConfigException("storage.s3." + problem.get().key() + ": cannot use " + config.s3().describe() + ": "
          + problem.get().message());
    }
    return s3;
  }

  /** The in-server collector, on the files of the storage it serves (a directory or the bucket; docs/gc.md). */
  private static GcScheduler startCollector(RegistryConfig config, DriverStorage storage, RegistryMetrics metrics) {
    LayoutGcStore gcStore = new LayoutGcStore(storage.files());
    return GcScheduler.start(new GarbageCollector(gcStore, FenceTiming.DEFAULTS, Clock.systemUTC()), gcStore,
        GcOptions.of(config.gc()), config.gc().interval(), metrics, Clock.systemUTC());
  }

  private static void closeStorage(DriverStorage storage) {
    storage.close();
  }

  /**
   * The pull-through cache when {@code proxy} is configured. Blobs in flight spool beside the storage's own tree on a
   * filesystem (same disk, and outside {@code docker/registry/v2}, so registry:2 never sees the spool), in the
   * temporary directory on S3.
   */
  static PullThroughCache cacheFor(RegistryConfig config, DriverStorage storage) {
    return cacheFor(config, storage, RegistryMetrics.NONE);
  }

  static PullThroughCache cacheFor(RegistryConfig config, DriverStorage storage, RegistryMetrics metrics) {
    if (!config.proxy().enabled()) {
      return null;
    }
    java.nio.file.Path spool = config.storage().s3() == null
        ? config.storage().rootDirectory().resolve(SPOOL_DIRECTORY)
        : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "berth-" + SPOOL_DIRECTORY);
    try {
      return new PullThroughCache(config.proxy(), storage, spool, Clock.systemUTC(), metrics);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("proxy.upstreams: " + e.getMessage(), e);
    }
  }

  /** Where {@link PullThroughCache} spools blobs being fetched, under the storage root. */
  public static final String SPOOL_DIRECTORY = "proxy-spool";

  /**
   * The one place the configured auth becomes an {@link Authenticator}: allow-all when auth is off, Basic with
   * {@code auth.htpasswd}, bearer tokens with {@code auth.token}. Settings that cannot work are config errors.
   */
  static Authenticator authenticatorFor(RegistryConfig.Auth auth) {
    return authenticatorFor(auth, RegistryMetrics.NONE);
  }

  static Authenticator authenticatorFor(RegistryConfig.Auth auth, RegistryMetrics metrics) {
    try {
      return Authenticators.fromConfig(auth, metrics);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
