package dev.berth.registry.e2e;

import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.testsupport.RunningRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Berth started in this JVM on a free loopback port with TLS, the given auth settings and optionally the plain-HTTP
 * redirect listener (also on a free loopback port), built the way the server's own startup builds it.
 */
final class SecureRegistry implements RunningRegistry {
  private final RegistryServer server;
  private final Path root;
  private boolean closed;

  private SecureRegistry(RegistryServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  static SecureRegistry start(Path root, RegistryConfig.Tls tls, RegistryConfig.Auth auth, boolean redirect) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RegistryConfig config = new RegistryConfig(
        new RegistryConfig.Log("info", false, Map.of()),
        new RegistryConfig.Http("127.0.0.1", 0, Map.<String, List<String>>of(), tls,
            redirect ? new RegistryConfig.Redirect("127.0.0.1", 0) : null),
        new RegistryConfig.Storage(root, true, false),
        auth);
    RegistryServer server = new RegistryServer(config, new FilesystemStorage(root), Authenticators.fromConfig(auth))
        .start();
    return new SecureRegistry(server, root);
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + server.port();
  }

  int port() {
    return server.port();
  }

  int redirectPort() {
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
    }
  }
}
