package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeReports;
import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ConfigMapNodeReportPublisherTest {
  KubernetesClient client;

  private static NodeReport report(String node, RuntimeOutcome outcome, String message) {
    return new NodeReport(node, "registry/main", "abc", true,
        List.of(new RuntimeReport(Runtime.CONTAINERD, outcome, message)), "", Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void createsTheConfigMapAndKeepsOneKeyPerNode() {
    var publisher = new ConfigMapNodeReportPublisher(client, "registry", "main-node-reports");

    publisher.publish(report("node-1", RuntimeOutcome.CONFIGURED, ""));
    publisher.publish(report("node-2", RuntimeOutcome.FAILED, "config_path is not set"));
    publisher.publish(report("node-1", RuntimeOutcome.RESTART_PENDING, "restart containerd"));

    ConfigMap configMap = client.configMaps().inNamespace("registry").withName("main-node-reports").get();
    var reports = NodeReports.read(configMap);
    assertThat(reports).containsOnlyKeys("node-1", "node-2");
    assertThat(reports.get("node-1")).isEqualTo(report("node-1", RuntimeOutcome.RESTART_PENDING, "restart containerd"));
    assertThat(reports.get("node-2").ok()).isFalse();
    assertThat(configMap.getData().get("node-2")).contains("\"outcome\":\"failed\"");
  }

  @Test
  void keepsWhatTheOperatorPutInTheConfigMap() {
    client.configMaps().inNamespace("registry").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("main-node-reports").withNamespace("registry")
        .addToLabels("berth.dev/registry", "main").endMetadata().build()).create();

    new ConfigMapNodeReportPublisher(client, "registry", "main-node-reports")
        .publish(report("node-1", RuntimeOutcome.CONFIGURED, ""));

    ConfigMap configMap = client.configMaps().inNamespace("registry").withName("main-node-reports").get();
    assertThat(configMap.getMetadata().getLabels()).containsEntry("berth.dev/registry", "main");
    assertThat(configMap.getData()).containsOnlyKeys("node-1");
  }

  @Test
  void skipsEntriesItCannotRead() {
    ConfigMap configMap = new ConfigMapBuilder().addToData("node-9", "{broken").build();
    assertThat(NodeReports.read(configMap)).isEmpty();
  }
}
