package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.config.RegistryConfig.NotificationEndpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code notifications.endpoints}: distribution's keys ({@code name, disabled, url, headers, timeout, threshold,
 * backoff, ignoredmediatypes, ignore.mediatypes, ignore.actions}) and Berth's bounds ({@code queuesize, maxretries,
 * maxbackoff, batchsize}), every entry checked key by key so a typo fails the start naming the key.
 */
final class NotificationsSection {
  static final String KEY = "notifications.endpoints";
  private static final Set<String> ENTRY_KEYS = Set.of("name", "disabled", "url", "headers", "timeout", "threshold",
      "backoff", "ignoredmediatypes", "ignore", "queuesize", "maxretries", "maxbackoff", "batchsize");
  private static final Set<String> IGNORE_KEYS = Set.of("mediatypes", "actions");
  private static final Set<String> ACTIONS = Set.of("push", "pull", "mount", "delete");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // java.net.http sets these itself and refuses them from callers
  private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
      "upgrade");

  private NotificationsSection() {}

  static RegistryConfig.Notifications read(ConfigTree tree) {
    JsonNode list = tree.node(KEY);
    if (list == null || list.isNull()) {
      return RegistryConfig.Notifications.NONE;
    }
    if (!list.isArray()) {
      throw tree.error(KEY, "expected a list of endpoints {name, url, ...}, found " + ConfigTree.describe(list));
    }
    List<NotificationEndpoint> endpoints = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = KEY + "[" + i + "]";
      JsonNode entry = list.get(i);
      checkKeys(tree, path, entry, ENTRY_KEYS);
      String name = text(tree, path + ".name", entry.get("name"), true);
      if (!names.add(name)) {
        throw tree.error(path + ".name", "'" + name + "' is used by another endpoint");
      }
      NotificationEndpoint endpoint = endpoint(tree, path, entry, name);
      if (!bool(tree, path + ".disabled", entry.get("disabled"))) {
        endpoints.add(endpoint);
      }
    }
    return new RegistryConfig.Notifications(endpoints);
  }

  private static NotificationEndpoint endpoint(ConfigTree tree, String path, JsonNode entry, String name) {
    URI url = url(tree, path + ".url", text(tree, path + ".url", entry.get("url"), true));
    Duration timeout = duration(tree, path + ".timeout", entry.get("timeout"), NotificationEndpoint.DEFAULT_TIMEOUT);
    int threshold = count(tree, path + ".threshold", entry.get("threshold"), NotificationEndpoint.DEFAULT_THRESHOLD, 1);
    Duration backoff = duration(tree, path + ".backoff", entry.get("backoff"), NotificationEndpoint.DEFAULT_BACKOFF);
    Duration maxBackoff = duration(tree, path + ".maxbackoff", entry.get("maxbackoff"),
        NotificationEndpoint.DEFAULT_MAX_BACKOFF);
    if (maxBackoff.compareTo(backoff) < 0) {
      throw tree.error(path + ".maxbackoff", "must be at least backoff (" + backoff + ")");
    }
    int maxRetries = count(tree, path + ".maxretries", entry.get("maxretries"), NotificationEndpoint.DEFAULT_MAX_RETRIES, 0);
    int queueSize = count(tree, path + ".queuesize", entry.get("queuesize"), NotificationEndpoint.DEFAULT_QUEUE_SIZE, 1);
    int batchSize = count(tree, path + ".batchsize", entry.get("batchsize"), NotificationEndpoint.DEFAULT_BATCH_SIZE, 1);
    Set<String> mediaTypes = new LinkedHashSet<>(strings(tree, path + ".ignoredmediatypes", entry.get("ignoredmediatypes")));
    Set<String> actions = new LinkedHashSet<>();
    JsonNode ignore = entry.get("ignore");
    if (ignore != null && !ignore.isNull()) {
      checkKeys(tree, path + ".ignore", ignore, IGNORE_KEYS);
      mediaTypes.addAll(strings(tree, path + ".ignore.mediatypes", ignore.get("mediatypes")));
      for (String action : strings(tree, path + ".ignore.actions", ignore.get("actions"))) {
        if (!ACTIONS.contains(action)) {
          throw tree.error(path + ".ignore.actions", "'" + action + "' is not an action (push, pull, mount, delete)");
        }
        actions.add(action);
      }
    }
    return new NotificationEndpoint(name, url, headers(tree, path + ".headers", entry.get("headers")), timeout,
        threshold, backoff, maxBackoff, maxRetries, queueSize, batchSize, mediaTypes, actions);
  }

  private static Map<String, List<String>> headers(ConfigTree tree, String path, JsonNode node) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return headers;
    }
    if (!node.isObject()) {
      throw tree.error(path, "expected a mapping of header names to lists of values, found " + ConfigTree.describe(node));
    }
    for (var property : node.properties()) {
      String name = property.getKey();
      String key = path + "." + name;
      if (!HEADER_NAME.matcher(name).matches()) {
        throw tree.error(key, "'" + name + "' is not a valid HTTP header name");
      }
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw tree.error(key, "'" + name + "' is set by the HTTP client and cannot be configured");
      }
      List<String> values = strings(tree, key, property.getValue());
      for (String value : values) {
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          throw tree.error(key, "header values must not contain line breaks");
        }
      }
      headers.put(name, values);
    }
    return headers;
  }

  private static URI url(ConfigTree tree, String key, String text) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw tree.error(key, "'" + text + "' is not an http or https URL such as https://listener.example.com/event");
  }

  private static void checkKeys(ConfigTree tree, String path, JsonNode entry, Set<String> known) {
    if (entry == null || !entry.isObject()) {
      throw tree.error(path, "expected a mapping, found " + ConfigTree.describe(entry));
    }
    for (var property : entry.properties()) {
      if (!known.contains(property.getKey())) {
        throw tree.error(path, "unknown key '" + path + "." + property.getKey() + "' (known keys: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String text(ConfigTree tree, String key, JsonNode node, boolean required) {
    if (node == null || node.isNull() || (node.isValueNode() && node.asText().isBlank())) {
      if (required) {
        throw tree.error(key, "is required and must be a non-empty string");
      }
      return null;
    }
    if (!node.isValueNode()) {
      throw tree.error(key, "expected a single value, found " + ConfigTree.describe(node));
    }
    return node.asText().strip();
  }

  private static List<String> strings(ConfigTree tree, String key, JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (node.isValueNode()) {
      values.add(node.asText().strip());
      return values;
    }
    if (!node.isArray()) {
      throw tree.error(key, "expected a list of strings, found " + ConfigTree.describe(node));
    }
    for (JsonNode item : node) {
      if (!item.isValueNode() || item.asText().isBlank()) {
        throw tree.error(key, "expected non-empty strings, found " + ConfigTree.describe(item));
      }
      values.add(item.asText().strip());
    }
    return values;
  }

  private static Duration duration(ConfigTree tree, String key, JsonNode node, Duration fallback) {
    String text = text(tree, key, node, false);
    if (text == null) {
      return fallback;
    }
    Duration duration;
    try {
      // distribution reads a bare number as nanoseconds; a unit is required here, since "1" surely meant seconds
      duration = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw tree.error(key, e.getMessage());
    }
    if (duration.toMillis() < 1) {
      throw tree.error(key, "must be at least 1ms, found '" + text + "'");
    }
    return duration;
  }

  private static int count(ConfigTree tree, String key, JsonNode node, int fallback, int minimum) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    String text = node.asText().strip();
    if (node.isValueNode() && text.matches("\\d{1,9}") && Integer.parseInt(text) >= minimum) {
      return Integer.parseInt(text);
    }
    throw tree.error(key, "must be a whole number of at least " + minimum + ", found " + ConfigTree.describe(node));
  }

  private static boolean bool(ConfigTree tree, String key, JsonNode node) {
    String text = text(tree, key, node, false);
    if (text == null) {
      return false;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw tree.error(key, "expected true or false, found '" + text + "'");
    };
  }
}
