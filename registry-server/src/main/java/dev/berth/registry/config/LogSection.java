package dev.berth.registry.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code log.*} (and distribution's deprecated top-level {@code loglevel}, used when log.level is absent). */
final class LogSection {
  static final List<String> LEVELS = List.of("error", "warn", "info", "debug");
  // Field names go into logfmt lines unquoted, so they must not contain spaces, '=' or quotes.
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private LogSection() {}

  static RegistryConfig.Log read(ConfigTree tree) {
    String levelKey = tree.has("log.level") || !tree.has("loglevel") ? "log.level" : "loglevel";
    String level = tree.string(levelKey).map(text -> level(tree, levelKey, text)).orElse("info");
    boolean accessLog = !tree.bool("log.accesslog.disabled").orElse(false);
    Map<String, String> fields = new LinkedHashMap<>();
    tree.stringMap("log.fields").forEach((name, value) -> {
      if (!FIELD_NAME.matcher(name).matches()) {
        throw tree.error("log.fields." + name, "field names may contain only letters, digits, '_', '.' and '-'");
      }
      fields.put(name, value);
    });
    return new RegistryConfig.Log(level, accessLog, Collections.unmodifiableMap(fields));
  }

  private static String level(ConfigTree tree, String key, String text) {
    String level = text.strip().toLowerCase(Locale.ROOT);
    if (level.equals("warning")) {
      return "warn"; // logrus, and so distribution, spells it both ways
    }
    if (!LEVELS.contains(level)) {
      throw tree.error(key, "'" + text + "' is not a log level; use one of " + String.join(", ", LEVELS));
    }
    return level;
  }
}
