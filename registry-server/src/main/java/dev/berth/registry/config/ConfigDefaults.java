package dev.berth.registry.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What applies when neither file, environment nor flag says otherwise: the storage root, and a config file read only
 * when it exists. Standalone that is {@code ./data} and no file; in the container image (which sets
 * {@code BERTH_IN_CONTAINER=true}) the defaults are registry:2's: {@code /var/lib/registry} and the mounted
 * {@code /etc/berth/config.yaml}.
 */
public record ConfigDefaults(Path rootDirectory, Optional<Path> implicitConfigFile) {
  public static final String IN_CONTAINER_ENV = "BERTH_IN_CONTAINER";

  public static ConfigDefaults standalone() {
    return new ConfigDefaults(Path.of("data"), Optional.empty());
  }

  public static ConfigDefaults container() {
    return new ConfigDefaults(Path.of("/var/lib/registry"), Optional.of(Path.of("/etc/berth/config.yaml")));
  }

  public static ConfigDefaults forEnvironment(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.getOrDefault(IN_CONTAINER_ENV, "").strip()) ? container() : standalone();
  }
}
