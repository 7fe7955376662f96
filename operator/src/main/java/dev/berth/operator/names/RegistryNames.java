package dev.berth.operator.names;

import dev.berth.operator.spec.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and labels of everything made for one Registry, in one place so that dependents, status and cleanup agree.
 *
 * @param name the Registry's name
 * @param namespace the Registry's namespace
 */
public record RegistryNames(String name, String namespace) {
  public static final String MANAGED_BY = "berth-operator";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  /** Informers of the dependents watch only objects carrying this label. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  /** Name of the data volume and of the StatefulSet's claim template (claims are {@code data-<sts>-<ordinal>}). */
  public static final String DATA_VOLUME = "data";

  public static RegistryNames of(Registry registry) {
    return new RegistryNames(registry.getMetadata().getName(), registry.getMetadata().getNamespace());
  }

  public String configMap() {
    return name + "-config";
  }

  public String statefulSet() {
    return name;
  }

  public String clientService() {
    return name;
  }

  public String headlessService() {
    return name + "-headless";
  }

  /** The ServiceMonitor and the PrometheusRule of spec.metrics.serviceMonitor (two kinds, one name). */
  public String monitoring() {
    return name;
  }

  /** The PodDisruptionBudget of a Registry with several replicas. */
  public String disruptionBudget() {
    return name;
  }

  /** Secret holding the operator-made CA (mode SelfSigned). */
  public String caSecret() {
    return name + "-ca";
  }

  /** Secret holding the operator-made serving certificate (mode SelfSigned). */
  public String tlsSecret() {
    return name + "-tls";
  }

  /** Secret holding the rendered htpasswd and the token signing key. */
  public String authSecret() {
    return name + "-auth";
  }

  /** The names the client Service is reached by inside the cluster, shortest first. */
  public java.util.List<String> serviceDnsNames() {
    String svc = clientService();
    return java.util.List.of(svc, svc + "." + namespace, svc + "." + namespace + ".svc",
        svc + "." + namespace + ".svc.cluster.local");
  }

  /** The node-access plan ConfigMap the agents read as a mounted file. */
  public String nodeAccessPlan() {
    return name + "-node-access";
  }

  /** The ConfigMap where every node's agent keeps its report, one key per node. */
  public String nodeReports() {
    return name + "-node-reports";
  }

  /** The node agent's DaemonSet, ServiceAccount, Role and RoleBinding. */
  public String nodeAgent() {
    return name + "-node-agent";
  }

  /** {@code <namespace>/<name>}, as the plan and the agents' reports name the Registry. */
  public String registryId() {
    return namespace + "/" + name;
  }

  /** The names pods use in image references, each with the Service's port. */
  public List<String> clusterHosts(int port) {
    return List.of(endpoint(port), clientService() + "." + namespace + ".svc:" + port);
  }

  /** Labels that select this Registry's agent pods (never the registry pods: the Service must not reach agents). */
  public Map<String, String> nodeAgentSelectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "berth-node-agent");
    labels.put("app.kubernetes.io/instance", name);
    return labels;
  }

  /** Labels on the node agent's objects and pods. */
  public Map<String, String> nodeAgentLabels() {
    Map<String, String> labels = nodeAgentSelectorLabels();
    labels.put("app.kubernetes.io/component", "node-agent");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    return labels;
  }

  public String claim(int ordinal) {
    return DATA_VOLUME + "-" + statefulSet() + "-" + ordinal;
  }

  public String endpoint(int port) {
    return clientService() + "." + namespace + ".svc.cluster.local:" + port;
  }

  /** Labels that select this Registry's pods; fixed for the StatefulSet's life (its selector is immutable). */
  public Map<String, String> selectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "berth-registry");
    labels.put("app.kubernetes.io/instance", name);
    return labels;
  }

  /** Labels on every object the operator makes. */
  public Map<String, String> labels() {
    Map<String, String> labels = selectorLabels();
    labels.put("app.kubernetes.io/component", "registry");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    return labels;
  }

  /** Selects the claims the StatefulSet made for this Registry (they carry the template's labels). */
  public String claimSelector() {
    return "app.kubernetes.io/instance=" + name + "," + MANAGED_SELECTOR;
  }
}
