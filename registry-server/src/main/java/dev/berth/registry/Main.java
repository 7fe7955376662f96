package dev.berth.registry;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.cli.JvmShutdownWaiter;
import dev.berth.registry.cli.RegistryServerCommand;
import dev.berth.registry.cli.RunningServer;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.proxy.PullThroughCache;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.ListingRefresher;
import dev.berth.registry.storage.StorageMaintenance;
import dev.berth.registry.tls.TlsMaterialException;

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
    Authenticator authenticator = authenticatorFor(config.auth());
    FilesystemStorage storage = new FilesystemStorage(config.storage().rootDirectory(), config.storage().listingsRefresh());
    PullThroughCache cache = cacheFor(config, storage);
    RegistryServer server;
    try {
      server = new RegistryServer(config, storage, authenticator, cache);
    } catch (TlsMaterialException e) {
      authenticator.close();
      if (cache != null) {
        cache.close();
      }
      throw new ConfigException(e.getMessage(), e); // its message already names the http.tls key and the file
    }
    StorageMaintenance maintenance;
    ListingRefresher refresher;
    try {
      server.start();
      maintenance = config.storage().readOnly() ? null : StorageMaintenance.start(storage);
      refresher = ListingRefresher.start(storage, config.storage().listingsRefresh());
    } catch (RuntimeException e) {
      server.close(); // releases the event loops and the TLS watcher a failed start leaves behind
      authenticator.close();
      if (cache != null) {
        cache.close();
      }
      throw e;
    }
    return new RunningServer() {
      @Override
      public int port() {
        return server.port();
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
      }
    };
  }

  /**
   * The pull-through cache when {@code proxy} is configured, spooling blobs in flight beside the storage's own tree
   * (same disk, and outside {@code docker/registry/v2}, so registry:2 never sees the spool).
   */
  static PullThroughCache cacheFor(RegistryConfig config, FilesystemStorage storage) {
    if (!config.proxy().enabled()) {
      return null;
    }
    try {
      return new PullThroughCache(config.proxy(), storage, storage.root().resolve(SPOOL_DIRECTORY), java.time.Clock.systemUTC());
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
    try {
      return Authenticators.fromConfig(auth);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
