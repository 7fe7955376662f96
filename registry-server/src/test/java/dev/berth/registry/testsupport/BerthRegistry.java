package dev.berth.registry.testsupport;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Berth started in this JVM on a free loopback port, serving a filesystem root with no auth. */
public final class BerthRegistry implements RunningRegistry {
  private final RegistryServer server;
  private final Path root;
  private boolean closed;

  private BerthRegistry(RegistryServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  public static BerthRegistry start(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RegistryServer server = new RegistryServer(BerthConfigs.loopback(root, 0), new FilesystemStorage(root),
        Authenticator.allowAll()).start();
    return new BerthRegistry(server, root);
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + server.port();
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
    }
  }
}
