package dev.berth.operator.reconciler;

import dev.berth.operator.plan.NodeAccess;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.CrdValidator;
import dev.berth.operator.NodeAgentDouble;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.TestClock;
import dev.berth.operator.tls.CertificateAuthority;
import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.spec.ContainerdAccessSpec;
import dev.berth.operator.spec.LocalRegistryHostingSpec;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeLocalSpec;
import dev.berth.operator.spec.NodeRuntime;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.ServiceSpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.nodeAccess against the mock API server: the agent's objects as rendered, the plan following the Service and
 * the CA, reports turned into status, removal before the DaemonSet goes (on disabling and on deletion, bounded), and
 * the local-registry-hosting ConfigMap. {@link NodeAgentDouble} plays the nodes and agents.
 */
@EnableKubernetesMockClient(crud = true)
class NodeAccessOperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  static CrdValidator crdValidator;

  KubernetesClient client;
  Operator operator;
  TestClock clock;
  ReconcileCounter reconciles;
  NodeAgentDouble agents;

  @BeforeAll
  static void loadCrd() throws Exception {
    crdValidator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.Running running = OperatorTestSupport.start(client);
    operator = running.operator();
    clock = running.clock();
    reconciles = running.reconciles();
    agents = new NodeAgentDouble(client);
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  @Test
  void theAgentRunsOnlyOnceThePlanCanNameTheClusterIp() {
    create(registry(NS, "main", new RegistrySpec()));
    Registry waiting = awaitCondition("main", "NodesConfigured", "Unknown");
    assertThat(waiting.getStatus().condition("NodesConfigured").orElseThrow().getMessage())
        .contains("ClusterIP of Service main");
    assertThat(client.configMaps().inNamespace(NS).withName("main-node-access").get()).isNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("main-node-agent").get()).isNull();

    agents.assignClusterIp(NS, "main", "10.96.12.34");
    DaemonSet daemonSet = awaitDaemonSet("main");
    NodeAccessPlan plan = NodeAccessPlan.parse(agents.plan(NS, "main"));
    assertThat(plan.enabled()).isTrue();
    assertThat(plan.registry()).isEqualTo("registry/main");
    assertThat(plan.hosts()).containsExactly("main.registry.svc.cluster.local:5000", "main.registry.svc:5000");
    assertThat(plan.endpoint()).isEqualTo("10.96.12.34:5000");
    assertThat(plan.tls()).isFalse();
    assertThat(plan.runtimes()).containsExactly(dev.berth.operator.nodeaccess.Runtime.CONTAINERD);
    assertThat(plan.nodeLocalEnabled()).isFalse();
    assertThat(daemonSet.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("Registry"));
  }

  @Test
  void daemonSetRunsTheAgentCommandWithOnlyTheDirectoriesItWrites() {
    NodeAccessSpec access = new NodeAccessSpec();
    access.setRuntimes(List.of(NodeRuntime.containerd, NodeRuntime.k3s));
    access.setNodeSelector(Map.of("berth.dev/pull", "true"));
    access.setTolerations(List.of(new TolerationBuilder()
        .withKey("node-role.kubernetes.io/control-plane").withOperator("Exists").withEffect("NoSchedule").build()));
    NodeLocalSpec nodeLocal = new NodeLocalSpec();
    nodeLocal.setEnabled(true);
    nodeLocal.setPort(5050);
    access.setNodeLocal(nodeLocal);
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    ServiceSpec service = new ServiceSpec();
    service.setPort(443);
    spec.setService(service);
    create(registry(NS, "agent", spec));
    awaitService("agent");
    agents.assignClusterIp(NS, "agent", "10.96.0.7");

    DaemonSet daemonSet = awaitDaemonSet("agent");
    assertThat(daemonSet.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "berth-node-agent")
        .containsEntry("app.kubernetes.io/instance", "agent");
    PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
    // the registry Service must never route to agent pods
    Map<String, String> serviceSelector = client.services().inNamespace(NS).withName("agent").get().getSpec()
        .getSelector();
    assertThat(daemonSet.getSpec().getTemplate().getMetadata().getLabels().entrySet())
        .doesNotContainAnyElementsOf(serviceSelector.entrySet().stream()
            .filter(e -> e.getKey().equals("app.kubernetes.io/name")).toList());
    assertThat(pod.getServiceAccountName()).isEqualTo("agent-node-agent");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("berth.dev/pull", "true"));
    assertThat(pod.getTolerations()).extracting(Toleration::getKey)
        .containsExactly("node-role.kubernetes.io/control-plane");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);

    Container container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(OperatorTestSupport.settings().nodeAgentImage());
    assertThat(container.getArgs()).containsExactly(
        "node-agent",
        "--plan-file", "/etc/berth/node-access/plan.json",
        "--state-dir", "/host/var/lib/berth/node-agent/registry_agent",
        "--host-root", "/host",
        "--report-namespace", NS,
        "--report-configmap", "agent-node-reports");
    assertThat(container.getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("NODE_NAME");
      assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    });
    var security = container.getSecurityContext();
    assertThat(security.getRunAsUser()).isZero();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getHostPort()).isEqualTo(5050);
      assertThat(port.getContainerPort()).isEqualTo(5050);
      assertThat(port.getHostIP()).isEqualTo("127.0.0.1");
    });

    Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    Map<String, String> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null)
        .collect(Collectors.toMap(v -> v.getHostPath().getPath(), Volume::getName));
    assertThat(hostPaths.keySet()).containsExactlyInAnyOrder(
        "/var/lib/berth/node-agent", "/etc/containerd", "/etc/rancher/k3s",
        "/var/lib/rancher/k3s/agent/etc/containerd");
    Map<String, VolumeMount> mounts = container.getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getName, Function.identity()));
    hostPaths.forEach((path, volume) -> assertThat(mounts.get(volume).getMountPath()).isEqualTo("/host" + path));
    assertThat(mounts.get(hostPaths.get("/var/lib/rancher/k3s/agent/etc/containerd")).getReadOnly()).isTrue();
    assertThat(mounts.get(hostPaths.get("/etc/containerd")).getReadOnly()).isNotEqualTo(Boolean.TRUE);
    // the plan is a directory mount (no subPath), so the kubelet keeps the file current
    VolumeMount plan = mounts.get("plan");
    assertThat(plan.getMountPath()).isEqualTo("/etc/berth/node-access");
    assertThat(plan.getSubPath()).isNull();
    assertThat(volumes.get("plan").getConfigMap().getName()).isEqualTo("agent-node-access");

    NodeAccessPlan published = NodeAccessPlan.parse(agents.plan(NS, "agent"));
    assertThat(published.hosts()).containsExactly("agent.registry.svc.cluster.local:443", "agent.registry.svc:443");
    assertThat(published.endpoint()).isEqualTo("10.96.0.7:443");
    assertThat(published.runtimes()).containsExactly(
        dev.berth.operator.nodeaccess.Runtime.CONTAINERD, dev.berth.operator.nodeaccess.Runtime.K3S);
    assertThat(published.nodeLocal()).isEqualTo(new NodeAccessPlan.NodeLocal(true, 5050));

    // the agents may write their reports and nothing else
    Role role = client.rbac().roles().inNamespace(NS).withName("agent-node-agent").get();
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("configmaps");
      assertThat(rule.getResourceNames()).containsExactly("agent-node-reports");
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
    });
    RoleBinding binding = client.rbac().roleBindings().inNamespace(NS).withName("agent-node-agent").get();
    assertThat(binding.getRoleRef().getName()).isEqualTo("agent-node-agent");
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("agent-node-agent"));
    assertThat(client.serviceAccounts().inNamespace(NS).withName("agent-node-agent").get()).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("agent-node-reports").get()).isNotNull();
  }

  @Test
  void customContainerdPathsAreMountedAndPassedOn() {
    ContainerdAccessSpec containerd = new ContainerdAccessSpec();
    containerd.setPatchConfigToml(true);
    containerd.setConfigPath("/etc/containerd/hosts");
    containerd.setConfigToml("/opt/containerd/config.toml");
    NodeAccessSpec access = new NodeAccessSpec();
    access.setContainerd(containerd);
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    create(registry(NS, "paths", spec));
    awaitService("paths");
    agents.assignClusterIp(NS, "paths", "10.96.0.8");

    DaemonSet daemonSet = awaitDaemonSet("paths");
    assertThat(daemonSet.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getHostPath() != null).map(v -> v.getHostPath().getPath()))
        .containsExactlyInAnyOrder("/var/lib/berth/node-agent", "/etc/containerd", "/opt/containerd");
    NodeAccessPlan plan = NodeAccessPlan.parse(agents.plan(NS, "paths"));
    assertThat(plan.containerd()).isEqualTo(
        new NodeAccessPlan.ContainerdOptions(true, "/opt/containerd/config.toml", "/etc/containerd/hosts"));
  }

  @Test
  void reportsBecomeStatusNodesAndTheCondition() {
    Taint controlPlane = new TaintBuilder()
        .withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").build();
    Taint notReady = new TaintBuilder().withKey("node.kubernetes.io/not-ready").withEffect("NoExecute").build();
    agents.addNode("worker-1", Map.of("pool", "build"), List.of());
    agents.addNode("worker-2", Map.of("pool", "build"), List.of(notReady)); // DaemonSets tolerate it
    agents.addNode("worker-3", Map.of("pool", "build"), List.of());
    agents.addNode("control", Map.of("pool", "build"), List.of(controlPlane)); // not tolerated: no agent
    agents.addNode("other", Map.of("pool", "gpu"), List.of()); // not selected
    NodeAccessSpec access = new NodeAccessSpec();
    access.setNodeSelector(Map.of("pool", "build"));
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    create(registry(NS, "nodes", spec));
    awaitService("nodes");
    agents.assignClusterIp(NS, "nodes", "10.96.0.9");
    awaitDaemonSet("nodes");

    Registry progressing = awaitCondition("nodes", "NodesConfigured", "False");
    assertThat(progressing.getStatus().getNodes().getTotal()).isEqualTo(3);
    assertThat(progressing.getStatus().getNodes().getConfigured()).isZero();

    agents.report(NS, "nodes", "worker-1", RuntimeOutcome.CONFIGURED, "");
    agents.report(NS, "nodes", "worker-2", RuntimeOutcome.FAILED,
        "config_path is not set in /etc/containerd/config.toml");
    agents.report(NS, "nodes", "other", RuntimeOutcome.CONFIGURED, ""); // not selected: not counted
    Registry failed = await().atMost(WAIT).until(() -> get("nodes"),
        r -> r.getStatus().condition("NodesConfigured").map(Condition::getReason).orElse("").equals("NodesFailed")
            && r.getStatus().getNodes().getConfigured() == 1);
    Condition condition = failed.getStatus().condition("NodesConfigured").orElseThrow();
    assertThat(condition.getMessage())
        .contains("1/3 node(s) configured")
        .contains("worker-2 (containerd failed: config_path is not set in /etc/containerd/config.toml)")
        .contains("waiting for worker-3")
        .doesNotContain("control")
        .doesNotContain("other");
    assertThat(eventReasons("nodes")).contains("NodesFailed");

    agents.report(NS, "nodes", "worker-2", RuntimeOutcome.CONFIGURED, "");
    agents.report(NS, "nodes", "worker-3", RuntimeOutcome.RESTART_PENDING, "run systemctl restart containerd");
    Registry configured = awaitCondition("nodes", "NodesConfigured", "True");
    assertThat(configured.getStatus().getNodes().getConfigured()).isEqualTo(3);
    assertThat(configured.getStatus().condition("NodesConfigured").orElseThrow().getMessage())
        .contains("3/3 node(s) configured")
        .contains("restart pending on worker-3 (containerd restart-pending: run systemctl restart containerd)");

    // a new plan (another port) makes every report stale until the agents catch up
    ServiceSpec service = new ServiceSpec();
    service.setPort(5001);
    OperatorTestSupport.editRegistry(client, NS, "nodes", r -> r.getSpec().setService(service));
    // the mock API server drops the ClusterIP when the operator replaces the Service; a real one keeps it
    await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("nodes").get().getSpec().getPorts()
        .get(0).getPort() == 5001);
    agents.assignClusterIp(NS, "nodes", "10.96.0.9");
    Registry stale = await().atMost(WAIT).until(() -> get("nodes"),
        r -> r.getStatus().getNodes() != null && r.getStatus().getNodes().getConfigured() == 0);
    assertThat(stale.getStatus().condition("NodesConfigured").orElseThrow().getReason()).isEqualTo("Progressing");
    assertThat(NodeAccessPlan.parse(agents.plan(NS, "nodes")).endpoint()).isEqualTo("10.96.0.9:5001");
  }

  @Test
  void disablingRemovesFromEveryNodeBeforeTheDaemonSetGoes() {
    agents.addNode("node-a", Map.of(), List.of());
    agents.addNode("node-b", Map.of(), List.of());
    create(registry(NS, "off", new RegistrySpec()));
    awaitService("off");
    agents.assignClusterIp(NS, "off", "10.96.0.10");
    awaitDaemonSet("off");
    agents.report(NS, "off", "node-a", RuntimeOutcome.CONFIGURED, "");
    agents.report(NS, "off", "node-b", RuntimeOutcome.CONFIGURED, "");
    awaitCondition("off", "NodesConfigured", "True");

    NodeAccessSpec access = new NodeAccessSpec();
    access.setEnabled(false);
    OperatorTestSupport.editRegistry(client, NS, "off", r -> r.getSpec().setNodeAccess(access));

    await().atMost(WAIT).until(() -> !NodeAccessPlan.parse(agents.plan(NS, "off")).enabled());
    ConfigMap plan = client.configMaps().inNamespace(NS).withName("off-node-access").get();
    assertThat(plan.getMetadata().getAnnotations()).containsKey("berth.dev/node-access-disabled-since");
    Registry removing = awaitCondition("off", "NodesConfigured", "False");
    assertThat(removing.getStatus().condition("NodesConfigured").orElseThrow().getReason()).isEqualTo("Removing");
    assertThat(await().atMost(WAIT).until(() -> events("off").stream()
        .filter(e -> e.getReason().equals("Removing")).findFirst(), Optional::isPresent).get().getType())
        .as("turning node access off is not trouble").isEqualTo("Normal");
    agents.report(NS, "off", "node-a", RuntimeOutcome.REMOVED, "");
    reconciles.awaitNextReconcile(NS, "off", WAIT);
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("off-node-agent").get()).isNotNull();
    assertThat(get("off").getStatus().condition("NodesConfigured").orElseThrow().getMessage())
        .contains("1/2 node(s) removed").contains("node-b");

    agents.report(NS, "off", "node-b", RuntimeOutcome.REMOVED, "");
    await().atMost(WAIT).until(() ->
        client.apps().daemonSets().inNamespace(NS).withName("off-node-agent").get() == null
            && client.configMaps().inNamespace(NS).withName("off-node-access").get() == null
            && client.configMaps().inNamespace(NS).withName("off-node-reports").get() == null
            && client.serviceAccounts().inNamespace(NS).withName("off-node-agent").get() == null
            && client.rbac().roles().inNamespace(NS).withName("off-node-agent").get() == null
            && client.rbac().roleBindings().inNamespace(NS).withName("off-node-agent").get() == null);
    Registry off = await().atMost(WAIT).until(() -> get("off"),
        r -> r.getStatus().condition("NodesConfigured").isEmpty());
    assertThat(off.getStatus().getNodes()).isNull();
    assertThat(eventReasons("off")).contains("NodeAccessRemoved");
  }

  @Test
  void aRemovalThatNeverFinishesEndsAfterTheTimeoutWithAWarning() {
    agents.addNode("stuck", Map.of(), List.of());
    create(registry(NS, "slow", new RegistrySpec()));
    awaitService("slow");
    agents.assignClusterIp(NS, "slow", "10.96.0.11");
    awaitDaemonSet("slow");
    agents.report(NS, "slow", "stuck", RuntimeOutcome.CONFIGURED, "");
    NodeAccessSpec access = new NodeAccessSpec();
    access.setEnabled(false);
    OperatorTestSupport.editRegistry(client, NS, "slow", r -> r.getSpec().setNodeAccess(access));
    await().atMost(WAIT).until(() -> get("slow").getStatus().condition("NodesConfigured")
        .map(c -> c.getReason().equals("Removing")).orElse(false)
        && !NodeAccessPlan.parse(agents.plan(NS, "slow")).enabled());
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("slow-node-agent").get()).isNotNull();

    // the operator's time passes the removal's deadline
    clock.advance(NodeAccess.REMOVAL_TIMEOUT.plusSeconds(5));
    await().atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace(NS).withName("slow-node-agent").get()
        == null);
    Event warning = await().atMost(WAIT).until(() -> events("slow").stream()
        .filter(e -> e.getReason().equals("NodeAccessRemovalTimedOut")).findFirst(), Optional::isPresent).get();
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage()).contains("stuck").contains("registry_slow/state.json");
  }

  @Test
  void deletingTheRegistryWaitsForTheAgentsToRemoveTheirFiles() {
    agents.addNode("node-1", Map.of(), List.of());
    create(registry(NS, "gone", new RegistrySpec()));
    awaitService("gone");
    agents.assignClusterIp(NS, "gone", "10.96.0.12");
    awaitDaemonSet("gone");
    agents.report(NS, "gone", "node-1", RuntimeOutcome.CONFIGURED, "");
    awaitCondition("gone", "NodesConfigured", "True");

    client.resources(Registry.class).inNamespace(NS).withName("gone").delete();
    await().atMost(WAIT).until(() -> !NodeAccessPlan.parse(agents.plan(NS, "gone")).enabled());
    reconciles.awaitNextReconcile(NS, "gone", WAIT);
    assertThat(get("gone")).isNotNull();

    agents.report(NS, "gone", "node-1", RuntimeOutcome.REMOVED, "");
    await().atMost(WAIT).until(() -> get("gone") == null);
    assertThat(eventReasons("gone")).contains("NodeAccessRemoved");
  }

  @Test
  void nodeAccessOffFromTheStartMakesNothing() throws Exception {
    agents.addNode("node-1", Map.of(), List.of());
    NodeAccessSpec access = new NodeAccessSpec();
    access.setEnabled(false);
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    create(registry(NS, "plain", spec));
    awaitService("plain");
    agents.assignClusterIp(NS, "plain", "10.96.0.13");
    reconciles.awaitNextReconcile(NS, "plain", WAIT);
    assertThat(get("plain").getStatus()).isNotNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("plain-node-agent").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("plain-node-access").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("plain-node-reports").get()).isNull();
    assertThat(client.configMaps().inNamespace("kube-public").withName("local-registry-hosting").get()).isNull();
    assertThat(get("plain").getStatus().condition("NodesConfigured")).isEmpty();
    assertThat(get("plain").getStatus().getNodes()).isNull();
  }

  @Test
  void theFirstRegistryPublishesLocalRegistryHostingUntilItGoes() throws Exception {
    create(registry(NS, "first", new RegistrySpec()));
    awaitService("first");
    agents.assignClusterIp(NS, "first", "10.96.0.14");
    ConfigMap hosting = await().atMost(WAIT).until(() -> localRegistryHosting(), cm -> cm != null);
    assertThat(hosting.getMetadata().getAnnotations()).containsEntry("berth.dev/registry", "registry/first");
    Map<String, Object> content = hostingContent(hosting);
    assertThat(content).containsEntry("host", "first.registry.svc.cluster.local:5000")
        .containsEntry("hostFromContainerRuntime", "first.registry.svc.cluster.local:5000")
        .containsEntry("hostFromClusterNetwork", "first.registry.svc.cluster.local:5000")
        .containsKey("help");

    // a second Registry leaves it alone
    create(registry(NS, "second", new RegistrySpec()));
    awaitService("second");
    agents.assignClusterIp(NS, "second", "10.96.0.15");
    awaitDaemonSet("second");
    reconciles.awaitNextReconcile(NS, "second", WAIT);
    assertThat(localRegistryHosting().getMetadata().getAnnotations()).containsEntry("berth.dev/registry", "registry/first");

    // opting out takes it back; the next publisher is the other Registry, at its next reconcile
    NodeAccessSpec access = new NodeAccessSpec();
    LocalRegistryHostingSpec discovery = new LocalRegistryHostingSpec();
    discovery.setEnabled(false);
    access.setLocalRegistryHosting(discovery);
    OperatorTestSupport.editRegistry(client, NS, "first", r -> r.getSpec().setNodeAccess(access));
    await().atMost(WAIT).until(() -> localRegistryHosting() == null
        || "registry/second".equals(localRegistryHosting().getMetadata().getAnnotations().get("berth.dev/registry")));

    NodeAccessSpec secondAccess = new NodeAccessSpec();
    LocalRegistryHostingSpec pushHost = new LocalRegistryHostingSpec();
    pushHost.setHost("registry.example.com");
    secondAccess.setLocalRegistryHosting(pushHost);
    OperatorTestSupport.editRegistry(client, NS, "second", r -> r.getSpec().setNodeAccess(secondAccess));
    await().atMost(WAIT).until(() -> localRegistryHosting() != null
        && "registry.example.com".equals(hostingContent(localRegistryHosting()).get("host")));

    client.resources(Registry.class).inNamespace(NS).withName("second").delete();
    await().atMost(WAIT).until(() -> get("second") == null && localRegistryHosting() == null);
  }

  @Test
  void aForeignLocalRegistryHostingIsNeverTouched() {
    client.configMaps().inNamespace("kube-public").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("local-registry-hosting").withNamespace("kube-public").endMetadata()
        .addToData("localRegistryHosting.v1", "host: localhost:5001\n")
        .build()).create();
    create(registry(NS, "guest", new RegistrySpec()));
    awaitService("guest");
    agents.assignClusterIp(NS, "guest", "10.96.0.16");
    awaitDaemonSet("guest");
    client.resources(Registry.class).inNamespace(NS).withName("guest").delete();
    await().atMost(WAIT).until(() -> get("guest") == null);
    assertThat(localRegistryHosting().getData()).containsEntry("localRegistryHosting.v1", "host: localhost:5001\n");
  }

  @Test
  void withTlsThePlanCarriesTheOperatorsCaAndTheExtraNames() {
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    tls.setExtraHostnames(List.of("registry.example.com"));
    RegistrySpec spec = new RegistrySpec();
    spec.setTls(tls);
    create(registry(NS, "secure", spec));
    awaitService("secure");
    agents.assignClusterIp(NS, "secure", "10.96.0.17");

    awaitDaemonSet("secure");
    NodeAccessPlan plan = NodeAccessPlan.parse(agents.plan(NS, "secure"));
    var serving = client.secrets().inNamespace(NS).withName("secure-tls").get();
    String ca = new String(Base64.getDecoder().decode(serving.getData().get("ca.crt")), StandardCharsets.US_ASCII);
    assertThat(plan.tls()).isTrue();
    assertThat(plan.caPem()).isEqualTo(ca);
    assertThat(plan.hosts()).containsExactly("secure.registry.svc.cluster.local:5000", "secure.registry.svc:5000",
        "registry.example.com:5000");
  }

  @Test
  void aUserSecretWithoutCaIsTrustedByItsCertificateAndABrokenCaIsReported() {
    var ca = CertificateAuthority.newCa("user CA", Instant.now());
    var pair = CertificateAuthority.issue(ca, "byo", java.util.Set.of("byo.registry.svc"), Instant.now());
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("byo-cert").endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", b64(pair.certificate()), "tls.key", b64(pair.privateKey())))
        .build()).create();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.Secret);
    tls.setSecretName("byo-cert");
    RegistrySpec spec = new RegistrySpec();
    spec.setTls(tls);
    create(registry(NS, "byo", spec));
    awaitService("byo");
    agents.assignClusterIp(NS, "byo", "10.96.0.18");
    awaitDaemonSet("byo");
    NodeAccessPlan plan = NodeAccessPlan.parse(agents.plan(NS, "byo"));
    assertThat(plan.tls()).isTrue();
    assertThat(plan.caPem()).isEqualTo(pair.certificate());

    client.secrets().inNamespace(NS).withName("byo-cert").edit(secret -> {
      secret.getData().put("ca.crt", b64("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"));
      return secret;
    });
    // the user's Secret is not watched: the recheck (no node is configured yet) finds the change
    Registry reported = await().atMost(WAIT).until(() -> get("byo"), r -> r.getStatus() != null
        && r.getStatus().condition("NodesConfigured").map(c -> c.getReason().equals("InvalidPlan")).orElse(false));
    assertThat(reported.getStatus().condition("NodesConfigured").orElseThrow().getMessage()).contains("caPem");
    assertThat(NodeAccessPlan.parse(agents.plan(NS, "byo")).caPem()).as("the nodes keep the last good plan")
        .isEqualTo(pair.certificate());
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("byo-node-agent").get()).isNotNull();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private Registry create(Registry registry) {
    assertThat(crdValidator.violations(CrdValidator.toTree(registry))).as("CRD validation").isEmpty();
    return client.resource(registry).create();
  }

  private Registry get(String name) {
    return client.resources(Registry.class).inNamespace(NS).withName(name).get();
  }

  private void awaitService(String name) {
    await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName(name).get() != null);
  }

  private DaemonSet awaitDaemonSet(String name) {
    return await().atMost(WAIT).until(
        () -> client.apps().daemonSets().inNamespace(NS).withName(name + "-node-agent").get(),
        java.util.Objects::nonNull);
  }

  private Registry awaitCondition(String name, String type, String status) {
    return await().atMost(WAIT).until(() -> get(name),
        r -> r != null && r.getStatus() != null
            && r.getStatus().condition(type).map(c -> status.equals(c.getStatus())).orElse(false));
  }

  private ConfigMap localRegistryHosting() {
    return client.configMaps().inNamespace("kube-public").withName("local-registry-hosting").get();
  }

  private static Map<String, Object> hostingContent(ConfigMap hosting) throws Exception {
    return new ObjectMapper(new YAMLFactory())
        .readValue(hosting.getData().get("localRegistryHosting.v1"), new TypeReference<Map<String, Object>>() {});
  }

  private List<Event> events(String registry) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> registry.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private List<String> eventReasons(String registry) {
    return events(registry).stream().map(Event::getReason).toList();
  }
}
