package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.HostPort;

/**
 * Renders containerd's {@code hosts.toml} for one registry name: the name stays the {@code server} (the namespace
 * images are stored under), and the registry's Service endpoint is the host containerd actually connects to, for
 * pull and resolve only. With TLS the host trusts the operator's CA file; {@code skip_verify} is never written.
 */
public final class HostsToml {
  private HostsToml() {}

  /**
   * @param registry  {@code <namespace>/<name>}, for the header comment
   * @param name      the registry name pods use, e.g. {@code main.registry.svc.cluster.local:5000}
   * @param endpoint  where to connect, e.g. the ClusterIP and port
   * @param scheme    {@code https} or {@code http}
   * @param caHostPath absolute host path of the CA file, or null without TLS
   */
  public static String render(String registry, HostPort name, HostPort endpoint, String scheme, String caHostPath) {
    var text = new StringBuilder()
        .append("# Written by the Berth node agent for Registry ").append(registry)
        .append("; removed when node access is turned off.\n")
        .append("server = ").append(ContainerdConfigPatcher.quote(scheme + "://" + name.authority())).append("\n\n")
        .append("[host.").append(ContainerdConfigPatcher.quote(scheme + "://" + endpoint.authority())).append("]\n")
        .append("  capabilities = [\"pull\", \"resolve\"]\n");
    if (caHostPath != null) {
      text.append("  ca = ").append(ContainerdConfigPatcher.quote(caHostPath)).append("\n");
    }
    return text.toString();
  }

  /**
   * The hosts.toml for an upstream the registry caches ({@code <config_path>/docker.io/hosts.toml}): the upstream
   * stays the {@code server}, so a registry outage falls back to it, and the registry is tried first for pull and
   * resolve. containerd then adds {@code ?ns=docker.io} to its requests, which is how the registry knows the upstream.
   *
   * @param host   the upstream's registry host, e.g. {@code docker.io}
   * @param server the upstream's URL, e.g. {@code https://registry-1.docker.io}
   */
  public static String renderMirror(String registry, String host, String server, HostPort endpoint, String scheme,
      String caHostPath) {
    var text = new StringBuilder()
        .append("# Written by the Berth node agent for Registry ").append(registry)
        .append(": pulls of ").append(host).append(" go through its pull-through cache; removed when node access or")
        .append(" the upstream is turned off.\n")
        .append("server = ").append(ContainerdConfigPatcher.quote(server)).append("\n\n")
        .append("[host.").append(ContainerdConfigPatcher.quote(scheme + "://" + endpoint.authority())).append("]\n")
        .append("  capabilities = [\"pull\", \"resolve\"]\n");
    if (caHostPath != null) {
      text.append("  ca = ").append(ContainerdConfigPatcher.quote(caHostPath)).append("\n");
    }
    return text.toString();
  }
}
