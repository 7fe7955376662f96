package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The opt-in edit of containerd's config.toml that sets {@code config_path} (containerd reads it only at start). The
 * file is edited as text, not re-serialised, so the user's comments and layout stay; the result is parsed again and
 * must differ from the original in nothing but {@code config_path}, else the edit is refused. It never adds inline
 * {@code registry.mirrors}, and refuses to set {@code config_path} beside existing ones (containerd rejects that mix).
 */
public final class ContainerdConfigPatcher {
  static final String COMMENT =
      "# config_path set by the Berth node agent (needs a containerd restart); removed when node access is turned off";
  private static final Pattern TABLE_START = Pattern.compile("^\\s*\\[.*");
  private static final Pattern CONFIG_PATH_LINE =
      Pattern.compile("^(\\s*)(config_path|\"config_path\"|'config_path')\\s*=.*$");

  /** The edited text and the record needed to undo it. */
  public record Patched(String text, ConfigTomlPatch patch) {}

  /**
   * Sets {@code config_path} in {@code original} (null: the file does not exist yet).
   *
   * @throws IllegalStateException when the file already sets config_path, has inline mirrors/configs, or cannot be
   *                               edited safely; the message says which
   */
  public Patched patch(String hostPath, String original, String configPath) {
    if (original == null) {
      var lines = List.of(COMMENT, "[" + ContainerdConfig.tableHeader(2) + "]", "  config_path = " + quote(configPath));
      String text = "version = 2\n\n" + String.join("\n", lines) + "\n";
      return new Patched(text, new ConfigTomlPatch(hostPath, configPath, lines, null, true, sha256(text)));
    }
    ContainerdConfig config = ContainerdConfig.parse(original);
    if (config.configPathSet()) {
      throw new IllegalStateException(hostPath + " already sets " + config.configPathKey());
    }
    if (!config.inlineSettings().isEmpty()) {
      throw new IllegalStateException(hostPath + " has inline registry " + String.join(" and ", config.inlineSettings())
          + ", and containerd refuses config_path beside them: move them to hosts.toml files first");
    }
    List<String> lines = new ArrayList<>(Arrays.asList(original.split("\n", -1)));
    List<String> inserted;
    String replaced = null;
    int header = findHeader(lines, config.version());
    if (header < 0) {
      inserted = List.of("", COMMENT, "[" + ContainerdConfig.tableHeader(config.version()) + "]",
          "  config_path = " + quote(configPath));
      int end = lines.size();
      if (end > 0 && lines.get(end - 1).isEmpty()) {
        end--;
      }
      lines.addAll(end, inserted);
    } else {
      int existing = findConfigPathLine(lines, header);
      String indent = "  ";
      if (existing >= 0) {
        var matcher = CONFIG_PATH_LINE.matcher(lines.get(existing));
        indent = matcher.matches() ? matcher.group(1) : indent;
        replaced = lines.remove(existing);
      }
      inserted = List.of(indent + COMMENT, indent + "config_path = " + quote(configPath));
      lines.addAll(existing >= 0 ? existing : header + 1, inserted);
    }
    String text = String.join("\n", lines);
    verify(hostPath, original, text, config.version(), configPath);
    return new Patched(text, new ConfigTomlPatch(hostPath, configPath, inserted, replaced, false, sha256(text)));
  }

  /** Takes the agent's lines out of {@code current}; empty when they are no longer there as written. */
  public Optional<String> unpatch(String current, ConfigTomlPatch patch) {
    List<String> lines = new ArrayList<>(Arrays.asList(current.split("\n", -1)));
    List<String> inserted = patch.insertedLines();
    for (int start = 0; start + inserted.size() <= lines.size(); start++) {
      if (lines.subList(start, start + inserted.size()).equals(inserted)) {
        lines.subList(start, start + inserted.size()).clear();
        if (patch.replacedLine() != null) {
          lines.add(start, patch.replacedLine());
        }
        return Optional.of(String.join("\n", lines));
      }
    }
    return Optional.empty();
  }

  private static int findHeader(List<String> lines, int version) {
    String segments = ContainerdConfig.registryTable(version).stream()
        .map(ContainerdConfigPatcher::segmentPattern)
        .collect(Collectors.joining("\\s*\\.\\s*"));
    Pattern header = Pattern.compile("^\\s*\\[\\s*" + segments + "\\s*\\]\\s*(#.*)?$");
    for (int i = 0; i < lines.size(); i++) {
      if (header.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    return -1;
  }

  private static String segmentPattern(String segment) {
    String quoted = "\"" + Pattern.quote(segment) + "\"|'" + Pattern.quote(segment) + "'";
    return "(?:" + (segment.matches("[A-Za-z0-9_-]+") ? Pattern.quote(segment) + "|" : "") + quoted + ")";
  }

  private static int findConfigPathLine(List<String> lines, int header) {
    for (int i = header + 1; i < lines.size() && !TABLE_START.matcher(lines.get(i)).matches(); i++) {
      if (CONFIG_PATH_LINE.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    return -1;
  }

  /** The edit must set exactly config_path and change nothing else the parser can see. */
  private static void verify(String hostPath, String original, String patched, int version, String configPath) {
    ContainerdConfig after;
    try {
      after = ContainerdConfig.parse(patched);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("setting config_path in " + hostPath + " would break it; edit it by hand", e);
    }
    if (!after.configPaths().equals(List.of(configPath))) {
      throw new IllegalStateException("cannot set config_path in " + hostPath
          + " safely (the registry table is written in a form the agent does not edit); set "
          + after.configPathKey() + " by hand");
    }
    if (!withoutConfigPath(original, version).equals(withoutConfigPath(patched, version))) {
      throw new IllegalStateException("setting config_path in " + hostPath
          + " would change other settings; set it by hand");
    }
  }

  private static ObjectNode withoutConfigPath(String toml, int version) {
    ObjectNode root = ContainerdConfig.parseTree(toml);
    List<String> table = ContainerdConfig.registryTable(version);
    JsonNode registry = JsonTreeMerger.at(root, table);
    if (registry instanceof ObjectNode object) {
      object.remove("config_path");
    }
    for (int depth = table.size(); depth > 0; depth--) {
      JsonNode node = JsonTreeMerger.at(root, table.subList(0, depth));
      JsonNode parent = JsonTreeMerger.at(root, table.subList(0, depth - 1));
      if (node != null && node.isObject() && node.isEmpty() && parent instanceof ObjectNode parentObject) {
        parentObject.remove(table.get(depth - 1));
      }
    }
    return root;
  }

  static String quote(String value) {
    var text = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    return text.append('"').toString();
  }

  private static String sha256(String text) {
    return OwnedFileInstaller.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
