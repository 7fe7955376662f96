package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code auth.access}: a list of {account, repository glob, actions}, every entry checked key by key. The
 * account {@code anonymous} stands for requests without credentials and may only pull.
 */
final class AccessRules {
  static final String KEY = "auth.access";
  static final String ANONYMOUS = "anonymous";
  static final List<String> ACTIONS = List.of("pull", "push", "delete");
  private static final Set<String> ENTRY_KEYS = Set.of("account", "repository", "actions");
  // Repository names are lowercase path components; '*' (any run) and '?' (one character) are the glob characters.
  private static final Pattern REPOSITORY_GLOB = Pattern.compile("[a-z0-9._/*?-]+");

  private AccessRules() {}

  static List<RegistryConfig.AccessRule> read(ConfigTree tree) {
    JsonNode node = tree.node(KEY);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw tree.error(KEY, "expected a list of rules {account, repository, actions}, found " + ConfigTree.describe(node));
    }
    List<RegistryConfig.AccessRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      rules.add(rule(tree, KEY + "[" + i + "]", node.get(i)));
    }
    return List.copyOf(rules);
  }

  private static RegistryConfig.AccessRule rule(ConfigTree tree, String path, JsonNode entry) {
    if (!entry.isObject()) {
      throw tree.error(path, "expected a rule {account, repository, actions}, found " + ConfigTree.describe(entry));
    }
    for (var property : entry.properties()) {
      String key = property.getKey();
      if (!ENTRY_KEYS.contains(key)) {
        throw tree.error(path, "unknown key '" + path + "." + key + "' (known keys: account, actions, repository)");
      }
    }
    String account = text(tree, path + ".account", entry.get("account"));
    String repository = text(tree, path + ".repository", entry.get("repository"));
    if (!REPOSITORY_GLOB.matcher(repository).matches()) {
      throw tree.error(path + ".repository", "'" + repository + "' is not a repository name or glob like 'team-a/*'");
    }
    List<String> actions = actions(tree, path + ".actions", entry.get("actions"));
    // Requests without credentials may read, never write: an anonymous push or delete is not configurable.
    if (account.equals(ANONYMOUS) && !actions.equals(List.of("pull"))) {
      throw tree.error(path + ".actions", "account 'anonymous' (requests without credentials) may only pull, not "
          + String.join(", ", actions));
    }
    return new RegistryConfig.AccessRule(account, repository, actions);
  }

  private static String text(ConfigTree tree, String path, JsonNode node) {
    if (node == null || node.isNull() || !node.isValueNode() || node.asText().isBlank()) {
      throw tree.error(path, "is required and must be a non-empty string");
    }
    return node.asText().strip();
  }

  /** The actions in pull, push, delete order; "*" stands for all three. */
  private static List<String> actions(ConfigTree tree, String path, JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw tree.error(path, "is required: a list of " + String.join(", ", ACTIONS) + " (or \"*\" for all)");
    }
    Set<String> actions = new LinkedHashSet<>();
    for (JsonNode item : node) {
      String action = item.asText().strip().toLowerCase(Locale.ROOT);
      if (action.equals("*")) {
        actions.addAll(ACTIONS);
      } else if (item.isValueNode() && ACTIONS.contains(action)) {
        actions.add(action);
      } else {
        throw tree.error(path, ConfigTree.describe(item) + " is not an action; use " + String.join(", ", ACTIONS));
      }
    }
    return ACTIONS.stream().filter(actions::contains).toList();
  }
}
