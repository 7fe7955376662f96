package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The merged configuration (file, then environment, then flags) as a YAML tree, with typed getters that turn every
 * wrong value into a {@link ConfigException} naming the key and, when an override set it, the variable or flag.
 */
final class ConfigTree {
  private final ObjectNode root;
  /** Dotted key path to what set it ({@code REGISTRY_HTTP_ADDR}, {@code --addr}); keys from the file have none. */
  private final Map<String, String> origins = new HashMap<>();

  ConfigTree(ObjectNode root) {
    this.root = root;
  }

  static ConfigTree empty() {
    return new ConfigTree(JsonNodeFactory.instance.objectNode());
  }

  ObjectNode root() {
    return root;
  }

  /** Sets a value, creating the mappings above it (and replacing an empty {@code http:} that YAML reads as null). */
  void set(List<String> path, JsonNode value, String origin) {
    ObjectNode parent = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      JsonNode child = parent.get(segment);
      parent = child instanceof ObjectNode object ? object : parent.putObject(segment);
    }
    parent.set(path.get(path.size() - 1), value);
    origins.put(String.join(".", path), origin);
  }

  /** Removes a key and everything below it, when present. */
  void remove(List<String> path) {
    JsonNode parent = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      parent = parent.get(segment);
      if (!(parent instanceof ObjectNode)) {
        return;
      }
    }
    ((ObjectNode) parent).remove(path.get(path.size() - 1));
  }

  /** The node at a dotted path; null when absent or written as an empty value. */
  JsonNode node(String path) {
    JsonNode node = root;
    for (String segment : path.split("\\.")) {
      node = node.get(segment);
      if (isEmpty(node)) {
        return null;
      }
    }
    return node;
  }

  /** YAML's {@code key:} with nothing after it: Jackson reads it as null or as an empty string. */
  static boolean isEmpty(JsonNode node) {
    return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty());
  }

  boolean has(String path) {
    return node(path) != null;
  }

  /** Whether the key is written at all, even with an empty value ({@code htpasswd:} alone still asks for auth). */
  boolean declared(String path) {
    JsonNode node = root;
    for (String segment : path.split("\\.")) {
      if (node == null || !node.isObject() || !node.has(segment)) {
        return false;
      }
      node = node.get(segment);
    }
    return true;
  }

  /** A path to an existing, readable regular file; empty when the key is absent or blank. */
  Optional<Path> readableFile(String path) {
    return string(path).map(String::strip).filter(s -> !s.isEmpty()).map(text -> readableFile(path, text));
  }

  /** {@code text} as a path to an existing, readable regular file; errors name {@code path}. */
  Path readableFile(String path, String text) {
    Path file;
    try {
      file = Path.of(text);
    } catch (InvalidPathException e) {
      throw error(path, "'" + text + "' is not a valid path");
    }
    if (!Files.exists(file)) {
      throw error(path, "file '" + file + "' does not exist");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw error(path, "'" + file + "' is not a readable file");
    }
    return file;
  }

  Optional<String> string(String path) {
    JsonNode node = node(path);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      throw error(path, "expected a single value, found " + describe(node));
    }
    return Optional.of(node.asText());
  }

  Optional<Integer> integer(String path) {
    return string(path).map(text -> {
      try {
        return Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw error(path, "expected a whole number, found '" + text + "'");
      }
    });
  }

  Optional<Boolean> bool(String path) {
    return string(path).map(text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error(path, "expected true or false, found '" + text + "'");
    });
  }

  /** A list of strings; a single string is a list of one. Empty when absent. */
  List<String> stringList(String path) {
    JsonNode node = node(path);
    return node == null ? List.of() : stringsOf(path, node);
  }

  Map<String, String> stringMap(String path) {
    Map<String, String> result = new LinkedHashMap<>();
    mapping(path).forEach((key, value) -> {
      if (!value.isValueNode()) {
        throw error(path + "." + key, "expected a single value, found " + describe(value));
      }
      result.put(key, value.isNull() ? "" : value.asText());
    });
    return result;
  }

  /** Header name to values; a single value counts as a list of one, as distribution's own examples write it. */
  Map<String, List<String>> headerMap(String path) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    mapping(path).forEach((key, value) -> result.put(key, stringsOf(path + "." + key, value)));
    return result;
  }

  /** The entries of a mapping in file order; empty when absent. */
  Map<String, JsonNode> mapping(String path) {
    JsonNode node = node(path);
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw error(path, "expected a mapping of keys to values, found " + describe(node));
    }
    Map<String, JsonNode> result = new LinkedHashMap<>();
    node.properties().forEach(e -> result.put(e.getKey(), e.getValue()));
    return result;
  }

  /** An error about the key at {@code path}, naming the override that set it. */
  ConfigException error(String path, String problem) {
    String origin = originOf(path);
    return new ConfigException(path + ": " + problem + (origin == null ? "" : " (set by " + origin + ")"));
  }

  private String originOf(String path) {
    for (String prefix = path; !prefix.isEmpty(); prefix = parentOf(prefix)) {
      String origin = origins.get(prefix);
      if (origin != null) {
        return origin;
      }
    }
    return origins.entrySet().stream()
        .filter(e -> e.getKey().startsWith(path + "."))
        .map(Map.Entry::getValue)
        .sorted()
        .findFirst()
        .orElse(null);
  }

  private static String parentOf(String path) {
    int dot = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return dot < 0 ? "" : path.substring(0, dot);
  }

  private List<String> stringsOf(String path, JsonNode node) {
    if (node.isNull()) {
      return List.of();
    }
    if (node.isValueNode()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw error(path, "expected a list of values, found " + describe(node));
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isValueNode() || item.isNull()) {
        throw error(path + "[" + i + "]", "expected a single value, found " + describe(item));
      }
      values.add(item.asText());
    }
    return List.copyOf(values);
  }

  static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isNull() ? "nothing" : "'" + node.asText() + "'";
  }
}
