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
    Duration value = tree.string(key).filter(s -> !s.isBlank()).map(text -> {
      try {
        return GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw tree.error(key, e.getMessage());
      }
    }).orElse(fallback);
    if (value.toMillis() < 1) {
      throw tree.error(key, "must be at least 1ms, found '" + tree.string(key).orElse("") + "'");
    }
    return value;
  }

  private static int count(ConfigTree tree, String key) {
    int value = tree.integer(key).orElse(0);
    if (value < 0) {
      throw tree.error(key, "must be 0 (automatic/off) or a positive number, found " + value);
    }
    return value;
  }
}
