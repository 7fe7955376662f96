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

  /** The same configuration as a distribution-shaped config.yml, for Berth started as {@code Main serve <file>}. */
  public static String loopbackYaml(Path root, int port) {
    return """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        http:
          addr: 127.0.0.1:%d
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        """.formatted(port, root.toAbsolutePath());
  }
}
