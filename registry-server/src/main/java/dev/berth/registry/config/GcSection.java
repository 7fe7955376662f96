package dev.berth.registry.config;

/**
 * Reads {@code gc.*}: online garbage collection inside the server (docs/gc.md). Off unless {@code gc.enabled}; the
 * durations take distribution's form ({@code 90s}, {@code 1h}).
 */
final class GcSection {
  private GcSection() {}

  static RegistryConfig.Gc read(ConfigTree tree) {
    RegistryConfig.Gc defaults = RegistryConfig.Gc.DEFAULTS;
    return new RegistryConfig.Gc(
        tree.bool("gc.enabled").orElse(defaults.enabled()),
        ConfigDuration.positive(tree, "gc.interval").orElse(defaults.interval()),
        ConfigDuration.positive(tree, "gc.gracePeriod").orElse(defaults.gracePeriod()),
        tree.bool("gc.deleteUntagged").orElse(defaults.deleteUntagged()),
        tree.bool("gc.dryRun").orElse(defaults.dryRun()),
        ConfigDuration.positive(tree, "gc.uploadMaxAge").orElse(defaults.uploadMaxAge()),
        RetentionSection.read(tree));
  }
}
