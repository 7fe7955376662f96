package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.registry.config.KeySpec.Ignored;
import dev.berth.registry.config.KeySpec.Section;
import dev.berth.registry.config.KeySpec.Unsupported;
import dev.berth.registry.config.KeySpec.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies {@code REGISTRY_<SECTION>_<KEY>} environment variables the way distribution does: the name, lowercased and
 * split at underscores, is the key path ({@code REGISTRY_STORAGE_DELETE_ENABLED} sets {@code storage.delete.enabled}).
 * Like distribution, a variable that names no key is ignored with a warning rather than refused, because Kubernetes
 * itself sets {@code REGISTRY_*} variables for a Service named "registry".
 */
final class EnvOverrides {
  static final String PREFIX = "REGISTRY_";
  /** distribution's way to name the config file; not a key. */
  static final String CONFIGURATION_PATH = "REGISTRY_CONFIGURATION_PATH";
  /** Service links Kubernetes injects for a Service named "registry"; not meant for us, so not even a warning. */
  private static final Pattern KUBERNETES_SERVICE_LINK = Pattern.compile("REGISTRY_(PORT|SERVICE_HOST|SERVICE_PORT)(_.*)?");

  private EnvOverrides() {}

  static void apply(Map<String, String> env, ConfigTree tree, List<String> warnings) {
    // Sorted, so that REGISTRY_STORAGE is seen before REGISTRY_STORAGE_* and every run behaves the same.
    new TreeMap<>(env).forEach((name, value) -> {
      if (name.startsWith(PREFIX) && !name.equals(CONFIGURATION_PATH) && !KUBERNETES_SERVICE_LINK.matcher(name).matches()) {
        applyOne(name, value, tree, warnings);
      }
    });
  }

  private static void applyOne(String name, String value, ConfigTree tree, List<String> warnings) {
    List<String> tokens = Arrays.asList(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_", -1));
    List<String> path = new ArrayList<>();
    KeySpec spec = ConfigSchema.ROOT;
    for (int i = 0; i < tokens.size(); i++) {
      String child = spec instanceof Section section ? childKey(section, tokens.get(i)) : null;
      if (child != null) {
        path.add(child);
        spec = ((Section) spec).children().get(child);
      } else if (spec instanceof Value v && v.kind().isMap()) {
        // REGISTRY_LOG_FIELDS_ENVIRONMENT=staging sets one entry of the log.fields map.
        path.add(String.join("_", tokens.subList(i, tokens.size())));
        tree.set(path, parse(v.kind() == ValueKind.STRING_MAP ? ValueKind.STRING : ValueKind.STRING_LIST, value, name),
            name);
        return;
      } else if (spec instanceof Ignored || spec instanceof Unsupported) {
        break;
      } else {
        warnings.add("ignoring environment variable " + name + ": it names no config key");
        return;
      }
    }
    String key = String.join(".", path);
    if (spec instanceof Value v) {
      tree.set(path, parse(v.kind(), value, name), name);
    } else if (spec instanceof Ignored ignored) {
      warnings.add("environment variable " + name + " sets '" + key + "', which is accepted for compatibility and has no "
          + "effect: " + ignored.reason());
    } else if (spec instanceof Unsupported unsupported) {
      throw new ConfigException(key + ": " + unsupported.reason() + " (set by " + name + ")");
    } else if (key.equals("storage")) {
      selectStorageDriver(value, name, tree);
    } else {
      throw new ConfigException(name + " names the whole section '" + key + "'; set single keys instead, such as "
          + name + "_" + firstChild((Section) spec).toUpperCase(Locale.ROOT));
    }
  }

  /**
   * distribution's REGISTRY_STORAGE=<driver>: the driver the environment picks replaces the one the file configures,
   * so a file with a filesystem section still runs on S3 with REGISTRY_STORAGE=s3 and REGISTRY_STORAGE_S3_* keys.
   */
  private static void selectStorageDriver(String driver, String name, ConfigTree tree) {
    String wanted = driver.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("filesystem") || wanted.equals("s3")) {
      tree.remove(List.of("storage", wanted.equals("s3") ? "filesystem" : "s3"));
      if (tree.node("storage." + wanted) == null) {
        tree.set(List.of("storage", wanted), JsonNodeFactory.instance.objectNode(), name);
      }
      return;
    }
    KeySpec spec = ConfigSchema.lookup(List.of("storage", wanted));
    if (spec instanceof Unsupported unsupported) {
      throw new ConfigException("storage: " + unsupported.reason() + " (set by " + name + ")");
    }
    throw new ConfigException("storage: unknown storage driver '" + driver + "'; Berth stores on the filesystem or s3 driver"
        + " (set by " + name + ")");
  }

  private static JsonNode parse(ValueKind kind, String value, String name) {
    return kind.isScalar() ? TextNode.valueOf(value) : ConfigYaml.parse(value, "environment variable " + name);
  }

  /** The key a lowercased variable token names: most keys are lowercase, a few are camelCase (connectionsPerClient). */
  private static String childKey(Section section, String token) {
    if (section.children().containsKey(token)) {
      return token;
    }
    return section.children().keySet().stream().filter(key -> key.equalsIgnoreCase(token)).findFirst().orElse(null);
  }

  private static String firstChild(Section section) {
    return ConfigSchema.acceptedKeys(section).get(0);
  }
}
