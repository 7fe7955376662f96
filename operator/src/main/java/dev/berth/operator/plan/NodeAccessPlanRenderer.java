package dev.berth.operator.plan;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.tls.RegistryTrust;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.spec.ContainerdAccessSpec;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeLocalSpec;
import dev.berth.operator.spec.Registry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Renders the node agents' plan from a Registry, its Service's ClusterIP and its TLS trust. Pure: the same inputs give
 * the same JSON, so the plan's hash tells which plan a node's report is about.
 */
public final class NodeAccessPlanRenderer {
  /** The ConfigMap key, and the file name in the agent pod. */
  public static final String PLAN_KEY = "plan.json";

  private NodeAccessPlanRenderer() {}

  /** The plan while node access is on; the endpoint is the client Service's ClusterIP and port. */
  public static NodeAccessPlan enabled(Registry registry, String clusterIp, RegistryTrust trust) {
    RegistryNames names = RegistryNames.of(registry);
    NodeAccessSpec spec = registry.getSpec().nodeAccessOrDefault();
    int port = registry.getSpec().serviceOrDefault().portOrDefault();
    LinkedHashSet<String> hosts = new LinkedHashSet<>(names.clusterHosts(port));
    for (String extra : trust.extraHostnames()) {
      hosts.add(authority(extra, port));
    }
    List<Runtime> runtimes = new ArrayList<>();
    spec.runtimesOrDefault().forEach(r -> runtimes.add(Runtime.fromId(r.name())));
    ContainerdAccessSpec containerd = spec.containerdOrDefault();
    NodeLocalSpec nodeLocal = spec.nodeLocalOrDefault();
    return new NodeAccessPlan(
        true,
        names.registryId(),
        List.copyOf(hosts),
        authority(clusterIp, port),
        trust.tls(),
        trust.tls() ? trust.caPem() : null,
        runtimes,
        new NodeAccessPlan.ContainerdOptions(
            containerd.patchConfigTomlOrDefault(), containerd.configTomlOrDefault(), containerd.configPathOrDefault()),
        nodeLocal.enabledOrDefault() ? new NodeAccessPlan.NodeLocal(true, nodeLocal.portOrDefault()) : null,
        dev.berth.operator.proxy.ProxyUpstreams.mirrors(registry.getSpec().proxyOrDefault()));
  }

  /** The plan that makes every agent remove what it added for this Registry. */
  public static NodeAccessPlan disabled(RegistryNames names) {
    return new NodeAccessPlan(false, names.registryId(), List.of(), null, false, null, List.of(), null, null);
  }

  /** {@code host:port}, with IPv6 addresses in brackets. */
  static String authority(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
