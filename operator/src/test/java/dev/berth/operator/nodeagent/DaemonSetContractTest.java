package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.NodeReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.berth.operator.NodeAgentDouble;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator's DaemonSet and plan run through the real node agent: the container's args parsed by the agent's own
 * command line, its hostPath mounts laid out as a node's file system, the plan ConfigMap as the mounted file, reports
 * into the mock API server. What the operator renders is what the agent needs: the node gets its hosts.toml, the
 * Registry's status counts it, and turning node access off cleans the node before the DaemonSet goes.
 */
@EnableKubernetesMockClient(crud = true)
class DaemonSetContractTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;

  @TempDir
  Path tmp;

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    operator = OperatorTestSupport.startOperator(client);
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  @Test
  void theRenderedAgentConfiguresTheNodeAndCleansItUp() throws Exception {
    NodeAgentDouble cluster = new NodeAgentDouble(client);
    cluster.addNode("node-1", Map.of(), List.of());
    client.resource(OperatorTestSupport.registry(NS, "main", new RegistrySpec())).create();
    await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("main").get() != null);
    cluster.assignClusterIp(NS, "main", "10.96.12.34");
    DaemonSet daemonSet = await().atMost(WAIT).until(
        () -> client.apps().daemonSets().inNamespace(NS).withName("main-node-agent").get(), Objects::nonNull);

    // the node: containerd with config_path set, and only what the DaemonSet mounts
    Path node = tmp.resolve("node");
    Files.createDirectories(node.resolve("etc/containerd"));
    Files.writeString(node.resolve("etc/containerd/config.toml"), ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    Path pod = tmp.resolve("pod");
    var spec = daemonSet.getSpec().getTemplate().getSpec();
    Container container = spec.getContainers().get(0);
    String planMount = mountOf(container, spec.getVolumes(), v -> v.getConfigMap() != null);
    Path planFile = pod.resolve(planMount.substring(1)).resolve("plan.json");
    Files.createDirectories(planFile.getParent());
    copyPlan(planFile);
    for (Volume volume : spec.getVolumes()) {
      if (volume.getHostPath() != null) {
        Files.createDirectories(node.resolve(volume.getHostPath().getPath().substring(1))); // DirectoryOrCreate
      }
    }

    // the container's args as the agent's command line parses them, the pod's paths moved to the test's
    assertThat(container.getArgs().get(0)).isEqualTo("node-agent");
    List<String> args = new ArrayList<>();
    for (String arg : container.getArgs().subList(1, container.getArgs().size())) {
      args.add(arg.startsWith("/host/") || arg.equals("/host") ? node + arg.substring("/host".length())
          : arg.startsWith(planMount) ? pod + arg : arg);
    }
    args.addAll(List.of("--node-name", "node-1")); // the downward API's NODE_NAME
    NodeAgentCommand command = CommandLine.populateCommand(new NodeAgentCommand(), args.toArray(String[]::new));
    assertThat(command.planFile).isEqualTo(planFile);
    assertThat(command.hostRoot).isEqualTo(node);
    assertThat(command.stateDir).isEqualTo(node.resolve("var/lib/berth/node-agent/registry_main"));
    NodeAgent agent = NodeAgent.forNode(
        new NodeAgent.Settings(command.planFile, command.stateDir, command.nodeName, command.pollInterval,
            command.resyncInterval, command.bindAddress),
        new HostFs(command.hostRoot),
        new ConfigMapNodeReportPublisher(client, command.reportNamespace, command.reportConfigMap));

    NodeReport configured = agent.runOnce();
    assertThat(configured.ok()).as(configured.toString()).isTrue();
    Path hostsToml = node.resolve("etc/containerd/certs.d/main.registry.svc.cluster.local:5000/hosts.toml");
    JsonNode toml = new TomlMapper().readTree(hostsToml.toFile());
    assertThat(toml.get("server").asText()).isEqualTo("http://main.registry.svc.cluster.local:5000");
    assertThat(toml.get("host").has("http://10.96.12.34:5000")).isTrue();
    assertThat(node.resolve("etc/containerd/certs.d/main.registry.svc:5000/hosts.toml")).exists();
    Registry ready = await().atMost(WAIT).until(() -> registry(), r -> r.getStatus() != null
        && r.getStatus().condition("NodesConfigured").map(c -> c.getStatus().equals("True")).orElse(false));
    assertThat(ready.getStatus().getNodes().getConfigured()).isEqualTo(1);
    assertThat(ready.getStatus().getNodes().getTotal()).isEqualTo(1);

    NodeAccessSpec off = new NodeAccessSpec();
    off.setEnabled(false);
    OperatorTestSupport.editRegistry(client, NS, "main", r -> r.getSpec().setNodeAccess(off));
    await().atMost(WAIT).until(() -> !NodeAccessPlan.parse(cluster.plan(NS, "main")).enabled());
    copyPlan(planFile); // the kubelet updates the mounted file
    NodeReport removed = agent.runOnce();
    assertThat(removed.enabled()).isFalse();
    assertThat(removed.ok()).as(removed.toString()).isTrue();
    assertThat(hostsToml).doesNotExist();
    assertThat(node.resolve("etc/containerd/config.toml")).hasContent(ContainerdConfigTest.V2_WITH_CONFIG_PATH);
    await().atMost(WAIT).until(() ->
        client.apps().daemonSets().inNamespace(NS).withName("main-node-agent").get() == null);
  }

  private void copyPlan(Path planFile) throws Exception {
    ConfigMap plan = client.configMaps().inNamespace(NS).withName("main-node-access").get();
    Files.writeString(planFile, plan.getData().get("plan.json"));
  }

  private Registry registry() {
    return client.resources(Registry.class).inNamespace(NS).withName("main").get();
  }

  private static String mountOf(Container container, List<Volume> volumes,
      java.util.function.Predicate<Volume> kind) {
    String volume = volumes.stream().filter(kind).findFirst().orElseThrow().getName();
    return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume))
        .map(VolumeMount::getMountPath).findFirst().orElseThrow();
  }
}
