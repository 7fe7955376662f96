package dev.berth.operator.nodeaccess;

import dev.berth.operator.spec.ContainerdAccessSpec;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host directories the node agent writes (and the one it only reads), per runtime: nothing else of the host is
 * mounted. Each is mounted at {@code /host<path>}, where the agent's {@code --host-root} finds it.
 */
public final class NodeAgentHostMounts {
  public static final String HOST_ROOT = "/host";
  /** Per-Registry state (what the agent added) and the lock that makes agents of several Registries take turns. */
  public static final String STATE_DIR = "/var/lib/berth/node-agent";

  /**
   * One hostPath mount.
   *
   * @param volume the pod's volume name
   * @param hostPath the directory on the node
   * @param readOnly true for directories the agent only reads
   */
  public record HostMount(String volume, String hostPath, boolean readOnly) {
    public String mountPath() {
      return HOST_ROOT + hostPath;
    }
  }

  private NodeAgentHostMounts() {}

  /** The node directory where one Registry's agent keeps what it added (its state.json). */
  public static String stateDir(String namespace, String name) {
    return STATE_DIR + "/" + namespace + "_" + name;
  }

  public static List<HostMount> forSpec(NodeAccessSpec spec) {
    Map<String, Boolean> dirs = new LinkedHashMap<>(); // host path -> read-only
    dirs.put(STATE_DIR, false);
    for (NodeRuntime runtime : spec.runtimesOrDefault()) {
      switch (runtime) {
        case containerd -> {
          ContainerdAccessSpec containerd = spec.containerdOrDefault();
          dirs.put("/etc/containerd", false);
          dirs.put(parent(containerd.configTomlOrDefault()), false);
          dirs.put(containerd.configPathOrDefault(), false);
        }
        case docker -> dirs.put("/etc/docker", false);
        case k3s, rke2 -> {
          dirs.put("/etc/rancher/" + runtime.name(), false);
          // only read: has k3s/rke2 regenerated its containerd files since the agent's change (restart pending)?
          dirs.putIfAbsent("/var/lib/rancher/" + runtime.name() + "/agent/etc/containerd", true);
        }
      }
    }
    List<String> paths = new ArrayList<>(dirs.keySet());
    List<HostMount> mounts = new ArrayList<>();
    for (String path : paths) {
      if (coveredByAnother(path, paths, dirs)) {
        continue;
      }
      mounts.add(new HostMount(volumeName(path, mounts.size()), path, dirs.get(path)));
    }
    return mounts;
  }

  /** A directory inside another writable mount needs no mount of its own. */
  private static boolean coveredByAnother(String path, List<String> paths, Map<String, Boolean> dirs) {
    Path p = Path.of(path);
    for (String other : paths) {
      if (!other.equals(path) && p.startsWith(Path.of(other)) && (!dirs.get(other) || dirs.get(path))) {
        return true;
      }
    }
    return false;
  }

  private static String parent(String file) {
    Path parent = Path.of(file).getParent();
    return parent == null ? "/" : parent.toString();
  }

  /** A readable DNS-label volume name ({@code host-etc-containerd}); an index keeps long paths unique. */
  static String volumeName(String hostPath, int index) {
    String name = ("host" + hostPath.toLowerCase(Locale.ROOT))
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("-+$", "");
    return name.length() <= 63 ? name : "host-" + index;
  }
}
