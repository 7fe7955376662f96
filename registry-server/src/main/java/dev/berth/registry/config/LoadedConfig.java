package dev.berth.registry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded configuration, the file it came from (none when only defaults, environment and flags applied) and the
 * warnings to log once logging is set up (ignored compatibility keys, environment variables that name no key).
 */
public record LoadedConfig(RegistryConfig config, Optional<Path> file, List<String> warnings) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
