package dev.berth.operator;

import dev.berth.operator.nodeagent.ConfigMapNodeReportPublisher;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeagent.OwnedFileInstaller;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Plays what the mock API server and the nodes lack for node access: nodes, the Service's ClusterIP, and the node
 * agents, which read the published plan and report through the agent's own {@link ConfigMapNodeReportPublisher}.
 */
public final class NodeAgentDouble {
  private final KubernetesClient client;

  public NodeAgentDouble(KubernetesClient client) {
    this.client = client;
  }

  /** Gives the Service a ClusterIP, as the API server does on creation. */
  public void assignClusterIp(String namespace, String service, String ip) {
    client.services().inNamespace(namespace).withName(service).edit(s -> {
      s.getSpec().setClusterIP(ip);
      return s;
    });
  }

  public Node addNode(String name, Map<String, String> labels, List<Taint> taints) {
    return client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(taints).endSpec()
        .build()).create();
  }

  /** The plan the operator publishes now for the Registry, as the agent reads it from its mounted file. */
  public String plan(String namespace, String registry) {
    ConfigMap plan = client.configMaps().inNamespace(namespace).withName(registry + "-node-access").get();
    if (plan == null || plan.getData() == null || plan.getData().get("plan.json") == null) {
      throw new AssertionError("no plan published for Registry " + namespace + "/" + registry);
    }
    return plan.getData().get("plan.json");
  }

  /**
   * Reports as the agent on {@code node} does after a pass over the current plan: every runtime of an enabled plan
   * with {@code outcome}, or removed when the plan is disabled.
   */
  public NodeReport report(String namespace, String registry, String node, RuntimeOutcome outcome, String message) {
    String json = plan(namespace, registry);
    NodeAccessPlan plan = NodeAccessPlan.parse(json);
    List<RuntimeReport> runtimes = plan.enabled()
        ? plan.runtimes().stream().map(r -> new RuntimeReport(r, outcome, message)).toList()
        : List.of(new RuntimeReport(dev.berth.operator.nodeaccess.Runtime.CONTAINERD, outcome, message));
    NodeReport report = new NodeReport(node, plan.registry(),
        OwnedFileInstaller.sha256(json.getBytes(StandardCharsets.UTF_8)), plan.enabled(), runtimes, "", Instant.now());
    new ConfigMapNodeReportPublisher(client, namespace, registry + "-node-reports").publish(report);
    return report;
  }
}
