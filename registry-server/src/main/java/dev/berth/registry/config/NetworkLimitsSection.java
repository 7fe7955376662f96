package dev.berth.registry.config;

import java.time.Duration;

/** Reads {@code http.timeouts.*} and {@code http.limits.*}: how long a connection may wait in each phase, and how many. */
final class NetworkLimitsSection {
  private NetworkLimitsSection() {}

  static RegistryConfig.Timeouts timeouts(ConfigTree tree) {
    RegistryConfig.Timeouts defaults = RegistryConfig.Timeouts.DEFAULTS;
    return new RegistryConfig.Timeouts(
        duration(tree, "http.timeouts.header", defaults.header()),
        duration(tree, "http.timeouts.body", defaults.body()),
        duration(tree, "http.timeouts.idle", defaults.idle()),
        duration(tree, "http.timeouts.send", defaults.send()));
  }

  static RegistryConfig.Limits limits(ConfigTree tree) {
    return new RegistryConfig.Limits(
        count(tree, "http.limits.connections"),
        count(tree, "http.limits.connectionsPerClient"));
  }

  private static Duration duration(ConfigTree tree, String key, Duration fallback) {
    return ConfigDuration.positive(tree, key).orElse(fallback);
  }

  private static int count(ConfigTree tree, String key) {
    int value = tree.integer(key).orElse(0);
    if (value < 0) {
      throw tree.error(key, "must be 0 (automatic/off) or a positive number, found " + value);
    }
    return value;
  }
}
