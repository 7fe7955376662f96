package dev.berth.registry.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as distribution's config writes it: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
final class ConfigDuration {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private ConfigDuration() {}

  /** The positive duration at {@code key}, if set; a config error naming the key for anything else. */
  static Optional<Duration> positive(ConfigTree tree, String key) {
    return tree.string(key).map(String::strip).map(text -> {
      Matcher m = TEXT.matcher(text);
      if (!m.matches()) {
        throw tree.error(key, "'" + text + "' is not a duration (a whole number and ms, s, m or h, e.g. 30s)");
      }
      long amount = Long.parseLong(m.group(1));
      Duration duration = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
      if (duration.isZero()) {
        throw tree.error(key, "must be more than zero, not '" + text + "'");
      }
      return duration;
    });
  }
}
