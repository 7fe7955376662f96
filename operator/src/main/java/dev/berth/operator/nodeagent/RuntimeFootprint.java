package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything the agent added on this node for one runtime, persisted in the agent's state file so that removal (node
 * access turned off, Registry deleted) takes away exactly that.
 *
 * @param files         whole files the agent wrote
 * @param createdDirs   directories the agent created, removed when empty
 * @param mergedFiles   settings merged into users' files
 * @param configPatch   the opt-in containerd config.toml change, or null
 * @param pendingAction what the node's administrator still has to do for the change to take effect, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuntimeFootprint(
    List<OwnedFile> files,
    List<String> createdDirs,
    List<MergedFile> mergedFiles,
    ConfigTomlPatch configPatch,
    String pendingAction) {

  public RuntimeFootprint {
    files = files == null ? List.of() : List.copyOf(files);
    createdDirs = createdDirs == null ? List.of() : List.copyOf(createdDirs);
    mergedFiles = mergedFiles == null ? List.of() : List.copyOf(mergedFiles);
  }

  public static RuntimeFootprint empty() {
    return new RuntimeFootprint(List.of(), List.of(), List.of(), null, null);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return files.isEmpty() && createdDirs.isEmpty() && mergedFiles.isEmpty() && configPatch == null;
  }

  public MergedFile mergedFile(String hostPath) {
    return mergedFiles.stream().filter(file -> file.hostPath().equals(hostPath)).findFirst().orElse(null);
  }
}
