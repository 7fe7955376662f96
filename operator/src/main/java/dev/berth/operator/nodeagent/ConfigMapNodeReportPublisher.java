package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeReport;

import dev.berth.operator.nodeaccess.NodeReports;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.regex.Pattern;

/**
 * Publishes each node's report as one key of a ConfigMap the operator reads ({@code data.<node> = <report JSON>}).
 * Each agent merge-patches only its own key, so many nodes write concurrently without conflicts; the ConfigMap is
 * created when missing (the operator normally creates it, owned by the Registry).
 */
public final class ConfigMapNodeReportPublisher implements NodeReportPublisher {
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public ConfigMapNodeReportPublisher(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public void publish(NodeReport report) {
    if (!CONFIG_MAP_KEY.matcher(report.node()).matches()) {
      throw new IllegalArgumentException("node name \"" + report.node() + "\" is not a valid ConfigMap key");
    }
    String json = NodeReports.toJson(report);
    try {
      patch(report.node(), json);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      create(report.node(), json);
    }
  }

  private void patch(String node, String json) {
    var patch = NodeReports.JSON.createObjectNode();
    patch.putObject("data").put(node, json);
    client.configMaps().inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  private void create(String node, String json) {
    try {
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "berth").endMetadata()
          .addToData(node, json)
          .build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      patch(node, json); // another node created it first
    }
  }
}
