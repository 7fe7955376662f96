package dev.berth.registry.testsupport;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.proxy.PullThroughCache;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.ListingRefresher;
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
  private final Path root;
  private boolean closed;

  private BerthRegistry(RegistryServer server, Authenticator authenticator, ListingRefresher refresher, Path root) {
    this.server = server;
    this.authenticator = authenticator;
    this.refresher = refresher;
    this.root = root;
  }

  public static BerthRegistry start(Path root) {
    return start(BerthConfigs.loopback(root, 0));
  }

  /** Serves {@code config}'s storage root (created when absent) with its TLS and auth settings. */
  public static BerthRegistry start(RegistryConfig config) {
    return start(config, java.time.Clock.systemUTC());
  }

  /** As above; with {@code proxy} configured, the pull-through cache on {@code clock} answers for its repositories. */
  public static BerthRegistry start(RegistryConfig config, java.time.Clock clock) {
    Path root = config.storage().rootDirectory();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Authenticator authenticator = Authenticators.fromConfig(config.auth());
    FilesystemStorage storage = new FilesystemStorage(root, config.storage().listingsRefresh());
    PullThroughCache cache = config.proxy().enabled()
        ? new PullThroughCache(config.proxy(), storage, root.resolve("proxy-spool"), clock) : null;
    RegistryServer server = new RegistryServer(config, storage, authenticator, cache).start();
    BerthRegistry registry =
        new BerthRegistry(server, authenticator, ListingRefresher.start(storage, config.storage().listingsRefresh()), root);
    registry.cache = cache;
    return registry;
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
    }
  }
}
