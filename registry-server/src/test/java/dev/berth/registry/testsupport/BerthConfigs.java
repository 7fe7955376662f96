package dev.berth.registry.testsupport;

import dev.berth.registry.config.RegistryConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Registry configurations for tests: plain HTTP on loopback, deletes on, no auth, no access log noise. */
public final class BerthConfigs {
  private BerthConfigs() {}

  /** Serves {@code root} on {@code 127.0.0.1:port} (0: any free port). */
  public static RegistryConfig loopback(Path root, int port) {
    return new RegistryConfig(
        new RegistryConfig.Log("info", false, Map.of()),
        new RegistryConfig.Http("127.0.0.1", port, Map.<String, List<String>>of(), null, null),
        new RegistryConfig.Storage(root, true, false),
        RegistryConfig.Auth.none());
  }
}
