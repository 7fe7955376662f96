package dev.berth.registry.testsupport;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.Main;
import dev.berth.registry.storage.DriverStorage;
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
    return start(BerthConfigs.loopbackS3(bucket, 0), bucket.root());
  }

  /** Serves {@code config}'s storage root (created when absent) with its TLS and auth settings. */
  public static BerthRegistry start(RegistryConfig config) {
    Path root = config.storage().rootDirectory();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(config, root);
  }

  private static BerthRegistry start(RegistryConfig config, Path root) {
    Authenticator authenticator = Authenticators.fromConfig(config.auth());
    DriverStorage storage = Main.storageFor(config.storage());
    RegistryServer server = new RegistryServer(config, storage, authenticator).start();
    return new BerthRegistry(server, authenticator, ListingRefresher.start(storage, config.storage().listingsRefresh()), storage, root);
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
      storage.close();
    }
  }
}
