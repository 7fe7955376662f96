package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code gc.retention}: {@code delay} and the list {@code policies} of {repositories, deleteUntagged, keepTags:
 * [{patterns, mostRecentlyPushedCount, pushedWithin, pulledWithin}]}, every entry checked key by key.
 */
final class RetentionSection {
  static final String KEY = "gc.retention.policies";
  private static final Set<String> POLICY_KEYS = Set.of("repositories", "deleteUntagged", "keepTags");
  private static final Set<String> RULE_KEYS = Set.of("patterns", "mostRecentlyPushedCount", "pushedWithin",
      "pulledWithin");
  private static final Pattern REPOSITORY_GLOB = Pattern.compile("[a-z0-9._/*?-]+");

  private RetentionSection() {}

  static RegistryConfig.Retention read(ConfigTree tree) {
    Duration delay = ConfigDuration.positive(tree, "gc.retention.delay").orElse(RegistryConfig.Retention.NONE.delay());
    JsonNode node = tree.node(KEY);
    if (node == null || node.isNull()) {
      return new RegistryConfig.Retention(delay, List.of());
    }
    if (!node.isArray()) {
      throw tree.error(KEY, "expected a list of policies {repositories, deleteUntagged, keepTags}, found "
          + ConfigTree.describe(node));
    }
    List<RegistryConfig.RetentionPolicy> policies = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      policies.add(policy(tree, KEY + "[" + i + "]", node.get(i)));
    }
    return new RegistryConfig.Retention(delay, policies);
  }

  private static RegistryConfig.RetentionPolicy policy(ConfigTree tree, String path, JsonNode entry) {
    checkKeys(tree, path, entry, POLICY_KEYS);
    List<String> repositories = strings(tree, path + ".repositories", entry.get("repositories"));
    if (repositories.isEmpty()) {
      throw tree.error(path + ".repositories", "is required: a list of repository names or globs like 'ci/*'");
    }
    for (String glob : repositories) {
      if (!REPOSITORY_GLOB.matcher(glob).matches()) {
        throw tree.error(path + ".repositories", "'" + glob + "' is not a repository name or glob like 'ci/*'");
      }
    }
    boolean deleteUntagged = bool(tree, path + ".deleteUntagged", entry.get("deleteUntagged"));
    List<RegistryConfig.KeepTags> rules = new ArrayList<>();
    JsonNode keep = entry.get("keepTags");
    if (keep != null && !keep.isNull()) {
      if (!keep.isArray()) {
        throw tree.error(path + ".keepTags", "expected a list of rules, found " + ConfigTree.describe(keep));
      }
      for (int i = 0; i < keep.size(); i++) {
        rules.add(rule(tree, path + ".keepTags[" + i + "]", keep.get(i)));
      }
    }
    return new RegistryConfig.RetentionPolicy(repositories, deleteUntagged, rules);
  }

  private static RegistryConfig.KeepTags rule(ConfigTree tree, String path, JsonNode entry) {
    checkKeys(tree, path, entry, RULE_KEYS);
    List<String> patterns = strings(tree, path + ".patterns", entry.get("patterns"));
    for (String pattern : patterns) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw tree.error(path + ".patterns", "'" + pattern + "' is not a regular expression: " + e.getDescription());
      }
    }
    Integer count = null;
    JsonNode countNode = entry.get("mostRecentlyPushedCount");
    if (countNode != null && !countNode.isNull()) {
      if (!countNode.canConvertToInt() || !countNode.isIntegralNumber() || countNode.asInt() < 1) {
        throw tree.error(path + ".mostRecentlyPushedCount", "must be a whole number of at least 1, found "
            + ConfigTree.describe(countNode));
      }
      count = countNode.asInt();
    }
    return new RegistryConfig.KeepTags(patterns, count, duration(tree, path + ".pushedWithin", entry.get("pushedWithin")),
        duration(tree, path + ".pulledWithin", entry.get("pulledWithin")));
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

  private static List<String> strings(ConfigTree tree, String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    if (node.isValueNode()) {
      values.add(node.asText().strip());
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isValueNode() || item.asText().isBlank()) {
          throw tree.error(path, "expected non-empty strings, found " + ConfigTree.describe(item));
        }
        values.add(item.asText().strip());
      }
    } else {
      throw tree.error(path, "expected a list of strings, found " + ConfigTree.describe(node));
    }
    return values;
  }

  private static boolean bool(ConfigTree tree, String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    throw tree.error(path, "expected true or false, found " + ConfigTree.describe(node));
  }

  private static Duration duration(ConfigTree tree, String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      Duration duration = GoDuration.parse(node.asText());
      if (duration.toMillis() < 1) {
        throw tree.error(path, "must be at least 1ms, found '" + node.asText() + "'");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw tree.error(path, e.getMessage());
    }
  }
}
