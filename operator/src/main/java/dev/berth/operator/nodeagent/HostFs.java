package dev.berth.operator.nodeagent;

import java.nio.file.Path;

/**
 * Maps host paths (what goes into runtime config files, e.g. {@code /etc/containerd/certs.d/x/ca.crt}) to where the
 * agent sees them: the DaemonSet mounts each host directory it writes under one root (e.g. {@code /host}). A root of
 * {@code /} is the identity, which tests and a agent run directly on a node use.
 */
public record HostFs(Path root) {
  public HostFs {
    root = root.toAbsolutePath().normalize();
  }

  public static HostFs identity() {
    return new HostFs(Path.of("/"));
  }

  /** Where the agent reads or writes the host's absolute path {@code hostPath}. */
  public Path local(String hostPath) {
    if (!hostPath.startsWith("/")) {
      throw new IllegalArgumentException("host path \"" + hostPath + "\" is not absolute");
    }
    Path local = root.resolve(hostPath.substring(1)).normalize();
    if (!local.startsWith(root)) {
      throw new IllegalArgumentException("host path \"" + hostPath + "\" escapes the host root");
    }
    return local;
  }
}
