package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Node access: a node agent DaemonSet configures the container runtime of every selected node so that it pulls from the
 * registry by its cluster name (docs/node-access.md). On by default; turning it off makes every agent remove what it
 * added before the DaemonSet goes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.runtimes) || self.runtimes.all(r, self.runtimes.exists_one(x, x == r))",
    message = "nodeAccess.runtimes lists a runtime twice",
    fieldPath = ".runtimes",
    reason = "FieldValueDuplicate")
public class NodeAccessSpec {
  public static final List<NodeRuntime> DEFAULT_RUNTIMES = List.of(NodeRuntime.containerd);

  @JsonPropertyDescription("Run the node agent. Default true. Setting false makes every agent remove what it added;"
      + " the DaemonSet is deleted once every node reports removed (or after 5 minutes, with a Warning event).")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("The runtimes to configure on every selected node: containerd (default), docker, k3s,"
      + " rke2. Choose k3s or rke2, not containerd, on k3s and RKE2 nodes.")
  @Size(min = 1, max = 4)
  private List<NodeRuntime> runtimes;

  @JsonPropertyDescription("Run the agent only on nodes with these labels. Empty: every node.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the agent pods, e.g. to reach control-plane nodes.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("containerd options.")
  private ContainerdAccessSpec containerd;

  @JsonPropertyDescription("Opt-in node-local endpoint (localhost:<port> on every node) for Docker nodes.")
  private NodeLocalSpec nodeLocal;

  @JsonPropertyDescription("The KEP-1755 local-registry-hosting ConfigMap in kube-public.")
  private LocalRegistryHostingSpec localRegistryHosting;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<NodeRuntime> getRuntimes() {
    return runtimes;
  }

  public void setRuntimes(List<NodeRuntime> runtimes) {
    this.runtimes = runtimes;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public ContainerdAccessSpec getContainerd() {
    return containerd;
  }

  public void setContainerd(ContainerdAccessSpec containerd) {
    this.containerd = containerd;
  }

  public NodeLocalSpec getNodeLocal() {
    return nodeLocal;
  }

  public void setNodeLocal(NodeLocalSpec nodeLocal) {
    this.nodeLocal = nodeLocal;
  }

  public LocalRegistryHostingSpec getLocalRegistryHosting() {
    return localRegistryHosting;
  }

  public void setLocalRegistryHosting(LocalRegistryHostingSpec localRegistryHosting) {
    this.localRegistryHosting = localRegistryHosting;
  }

  public boolean enabledOrDefault() {
    return enabled == null || enabled;
  }

  public List<NodeRuntime> runtimesOrDefault() {
    return runtimes == null || runtimes.isEmpty() ? DEFAULT_RUNTIMES : runtimes;
  }

  public Map<String, String> nodeSelectorOrEmpty() {
    return nodeSelector == null ? Map.of() : nodeSelector;
  }

  public List<Toleration> tolerationsOrEmpty() {
    return tolerations == null ? List.of() : tolerations;
  }

  public ContainerdAccessSpec containerdOrDefault() {
    return containerd == null ? new ContainerdAccessSpec() : containerd;
  }

  public NodeLocalSpec nodeLocalOrDefault() {
    return nodeLocal == null ? new NodeLocalSpec() : nodeLocal;
  }

  public LocalRegistryHostingSpec localRegistryHostingOrDefault() {
    return localRegistryHosting == null ? new LocalRegistryHostingSpec() : localRegistryHosting;
  }
}
