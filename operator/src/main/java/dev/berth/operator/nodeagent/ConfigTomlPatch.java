package dev.berth.operator.nodeagent;

import java.util.List;

/**
 * The opt-in change the agent made to containerd's config.toml to set {@code config_path}, recorded line by line so
 * it can be taken out again while keeping everything the user changed since.
 *
 * @param hostPath      absolute path of config.toml on the host
 * @param configPath    the value the agent set
 * @param insertedLines the consecutive lines the agent put into the file
 * @param replacedLine  the user's line those lines replaced (an empty {@code config_path = ""}), or null
 * @param createdFile   config.toml did not exist; then the whole file is the agent's
 * @param sha256        digest of config.toml right after the change
 */
public record ConfigTomlPatch(
    String hostPath, String configPath, List<String> insertedLines, String replacedLine, boolean createdFile,
    String sha256) {
  public ConfigTomlPatch {
    insertedLines = List.copyOf(insertedLines);
  }
}
