package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One setting the agent merges into a user's JSON or YAML file: either the field at {@code path} set to {@code value}
 * (e.g. {@code mirrors/<host>/endpoint}) or, when {@code arrayElement}, {@code value} present in the list at
 * {@code path} (e.g. {@code insecure-registries}).
 */
public record TreeEdit(List<String> path, JsonNode value, boolean arrayElement) {
  public TreeEdit {
    path = List.copyOf(path);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a tree edit needs a path");
    }
  }

  public static TreeEdit field(JsonNode value, String... path) {
    return new TreeEdit(List.of(path), value, false);
  }

  public static TreeEdit arrayElement(JsonNode value, String... path) {
    return new TreeEdit(List.of(path), value, true);
  }

  /** Human-readable location for reports, e.g. {@code mirrors."a:5000".endpoint}. */
  public String describe() {
    var text = new StringBuilder();
    for (String key : path) {
      if (!text.isEmpty()) {
        text.append('.');
      }
      text.append(key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"");
    }
    return arrayElement ? text + " entry " + value : text.toString();
  }
}
