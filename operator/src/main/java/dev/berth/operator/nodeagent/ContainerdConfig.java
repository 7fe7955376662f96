package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the agent needs to know from containerd's config.toml: the config format version and the CRI registry
 * settings. {@code config_path} lives at
 * <ul>
 *   <li>version 1 (containerd 1.x, short plugin names): {@code plugins.cri.registry.config_path}</li>
 *   <li>version 2 (containerd 1.x; 2.x migrates it): {@code plugins."io.containerd.grpc.v1.cri".registry.config_path}</li>
 *   <li>version 3 (containerd 2.x): {@code plugins."io.containerd.cri.v1.images".registry.config_path}</li>
 * </ul>
 *
 * @param exists         the file exists (a missing file means containerd's defaults: no config_path)
 * @param version        the {@code version} key, 1 when absent
 * @param configPaths    the directories of {@code config_path} (it may list several, separated by ':'), or empty
 * @param inlineSettings the deprecated inline keys present beside it ({@code mirrors}, {@code configs})
 */
public record ContainerdConfig(boolean exists, int version, List<String> configPaths, List<String> inlineSettings) {
  private static final TomlMapper TOML = new TomlMapper();

  public ContainerdConfig {
    configPaths = List.copyOf(configPaths);
    inlineSettings = List.copyOf(inlineSettings);
  }

  public static ContainerdConfig absent() {
    return new ContainerdConfig(false, 2, List.of(), List.of());
  }

  /** Reads config.toml text; throws IllegalArgumentException naming the problem when it is not valid TOML. */
  public static ContainerdConfig parse(String toml) {
    ObjectNode root = parseTree(toml);
    JsonNode versionNode = root.get("version");
    int version = versionNode == null ? 1 : versionNode.asInt(-1);
    if (version < 1 || version > 3) {
      throw new IllegalArgumentException("config.toml has version " + versionNode + "; known versions are 1, 2, 3");
    }
    JsonNode registry = JsonTreeMerger.at(root, registryTable(version));
    var paths = new ArrayList<String>();
    var inline = new ArrayList<String>();
    if (registry != null && registry.isObject()) {
      String configPath = registry.path("config_path").asText("");
      Arrays.stream(configPath.split(":")).filter(path -> !path.isBlank()).forEach(paths::add);
      for (String key : List.of("mirrors", "configs")) {
        JsonNode node = registry.get(key);
        if (node != null && !node.isEmpty()) {
          inline.add(key);
        }
      }
    }
    return new ContainerdConfig(true, version, paths, inline);
  }

  static ObjectNode parseTree(String toml) {
    try {
      JsonNode tree = TOML.readTree(toml);
      return tree instanceof ObjectNode object ? object : TOML.createObjectNode();
    } catch (IOException e) {
      throw new IllegalArgumentException("config.toml is not valid TOML: " + e.getMessage(), e);
    }
  }

  /** The TOML table holding {@code config_path} for a config version. */
  public static List<String> registryTable(int version) {
    return switch (version) {
      case 1 -> List.of("plugins", "cri", "registry");
      case 2 -> List.of("plugins", "io.containerd.grpc.v1.cri", "registry");
      case 3 -> List.of("plugins", "io.containerd.cri.v1.images", "registry");
      default -> throw new IllegalArgumentException("unknown containerd config version " + version);
    };
  }

  public boolean configPathSet() {
    return !configPaths.isEmpty();
  }

  /** The setting's full name for messages, e.g. {@code plugins."io.containerd.grpc.v1.cri".registry.config_path}. */
  public String configPathKey() {
    return tableHeader(version) + ".config_path";
  }

  static String tableHeader(int version) {
    var text = new StringBuilder();
    for (String segment : registryTable(version)) {
      if (!text.isEmpty()) {
        text.append('.');
      }
      text.append(segment.contains(".") ? "\"" + segment + "\"" : segment);
    }
    return text.toString();
  }
}
