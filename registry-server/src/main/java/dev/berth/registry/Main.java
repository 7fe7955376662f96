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
import dev.berth.registry.gc.FilesystemGcStore;
import dev.berth.registry.gc.MarkerFence;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;
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
    Authenticator authenticator = authenticatorFor(config.auth());
    // Always fenced: a garbage-collect CLI may run against this root while the server serves it.
    FilesystemGcStore gcStore = new FilesystemGcStore(config.storage().rootDirectory());
    FilesystemStorage storage = new FilesystemStorage(config.storage().rootDirectory(), config.storage().listingsRefresh(),
        new MarkerFence(gcStore, FenceTiming.DEFAULTS));
    RegistryServer server;
    try {
      server = new RegistryServer(config, storage, authenticator);
    } catch (TlsMaterialException e) {
      authenticator.close();
      throw new ConfigException(e.getMessage(), e); // its message already names the http.tls key and the file
    }
    StorageMaintenance maintenance;
    ListingRefresher refresher;
    GcScheduler collector;
    try {
      server.start();
      maintenance = config.storage().readOnly() ? null : StorageMaintenance.start(storage);
      collector = config.storage().readOnly() || !config.gc().enabled() ? null : GcScheduler.start(
          new GarbageCollector(gcStore, FenceTiming.DEFAULTS, Clock.systemUTC()), gcStore, GcOptions.of(config.gc()),
          config.gc().interval());
      refresher = ListingRefresher.start(storage, config.storage().listingsRefresh());
    } catch (RuntimeException e) {
      server.close(); // releases the event loops and the TLS watcher a failed start leaves behind
      authenticator.close();
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
        if (maintenance != null) {
          maintenance.close();
        }
        if (collector != null) {
          collector.close();
        }
      }
    };
  }

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
