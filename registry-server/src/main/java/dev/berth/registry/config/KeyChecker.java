package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.config.KeySpec.Ignored;
import dev.berth.registry.config.KeySpec.Section;
import dev.berth.registry.config.KeySpec.Unsupported;
import java.util.List;
import java.util.Map;

/**
 * Checks every key of a config file against {@link ConfigSchema}: an unknown key or a refused feature is an error
 * naming its full path; an ignored compatibility key becomes a warning. Values are checked later, when read.
 */
final class KeyChecker {
  private KeyChecker() {}

  /** Returns the warnings for ignored keys; throws for the first unknown or unsupported key. */
  static List<String> check(JsonNode root, List<String> warnings) {
    walk(ConfigSchema.ROOT, root, "", warnings);
    return warnings;
  }

  private static void walk(Section section, JsonNode node, String path, List<String> warnings) {
    if (ConfigTree.isEmpty(node)) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(
          (path.isEmpty() ? "the config file" : path) + ": expected a mapping of keys, found " + ConfigTree.describe(node));
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      KeySpec spec = section.children().get(key);
      if (spec == null) {
        throw new ConfigException("unknown key '" + keyPath + "' (known keys "
            + (path.isEmpty() ? "at the top level" : "under '" + path + "'") + ": "
            + String.join(", ", ConfigSchema.acceptedKeys(section)) + ")");
      } else if (spec instanceof Section child) {
        walk(child, entry.getValue(), keyPath, warnings);
      } else if (spec instanceof Ignored ignored) {
        warnings.add("config key '" + keyPath + "' is accepted for compatibility and has no effect: " + ignored.reason());
      } else if (spec instanceof Unsupported unsupported) {
        throw new ConfigException(keyPath + ": " + unsupported.reason());
      }
    }
  }
}
