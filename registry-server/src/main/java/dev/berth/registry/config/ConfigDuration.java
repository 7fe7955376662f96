package dev.berth.registry.config;

import java.time.Duration;
import java.util.Optional;

/** Reads a duration key of the config ({@code 500ms}, {@code 30s}, {@code 1m30s}, as distribution writes them). */
final class ConfigDuration {
  private ConfigDuration() {}

  /** The duration at {@code key} (at least 1ms), if set; a config error naming the key for anything else. */
  static Optional<Duration> positive(ConfigTree tree, String key) {
    return tree.string(key).filter(text -> !text.isBlank()).map(text -> {
      Duration duration;
      try {
        duration = GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw tree.error(key, e.getMessage());
      }
      if (duration.toMillis() < 1) {
        throw tree.error(key, "must be at least 1ms, found '" + text.strip() + "'");
      }
      return duration;
    });
  }
}
