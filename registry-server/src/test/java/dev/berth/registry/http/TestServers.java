package dev.berth.registry.http;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.storage.FilesystemStorage;
import java.nio.file.Path;
import java.util.Map;

/** A started server on a free loopback port, with {@code http} settings of the test's choosing and no access log. */
final class TestServers {
  private TestServers() {}

  static RegistryConfig.Http loopback() {
    return new RegistryConfig.Http("127.0.0.1", 0, Map.of(), null, null);
  }

  static RegistryServer start(Path root, RegistryConfig.Http http, Authenticator authenticator) {
    RegistryConfig config = new RegistryConfig(new RegistryConfig.Log("info", false, Map.of()), http,
        new RegistryConfig.Storage(root, true, false), RegistryConfig.Auth.none());
    return new RegistryServer(config, new FilesystemStorage(root), authenticator).start();
  }
}
