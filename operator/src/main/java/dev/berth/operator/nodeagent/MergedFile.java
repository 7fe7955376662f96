package dev.berth.operator.nodeagent;

import java.util.List;

/**
 * What the agent added to one user-owned JSON/YAML file (daemon.json, registries.yaml), so removal takes away exactly
 * that and nothing of the user's.
 *
 * @param hostPath          absolute path on the host
 * @param createdFile       the file did not exist before the agent wrote it
 * @param added             the settings the agent added (settings the user already had are not listed)
 * @param createdContainers objects and lists the agent created to hold them, pruned when they become empty
 */
public record MergedFile(
    String hostPath, boolean createdFile, List<TreeEdit> added, List<List<String>> createdContainers) {
  public MergedFile {
    added = List.copyOf(added);
    createdContainers = createdContainers.stream().map(List::copyOf).toList();
  }
}
