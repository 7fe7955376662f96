package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.operator.config.BuildInfo;
import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.reconciler.RegistryReconciler;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.PersistentVolumeClaimStorage;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/'s RBAC grants exactly what the operator uses: the rules derived from the workflow's dependents, plus every
 * request an operator makes in a recorded run through its life cycle (create, ready, resize, pod trouble, delete with
 * claims, leader election). Nothing used is missing; nothing granted is unused.
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {
  static final String NS = "team";
  static final Path LEASE_ROLE = Path.of("../deploy/leader-election-role.yaml");

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void clusterRoleGrantsWhatTheDependentsAndARecordedRunNeed() throws Exception {
    Set<String> granted = grants(Path.of("../deploy/cluster-role.yaml"), "ClusterRole");
    Set<String> derived = derivedFromWorkflow();
    Set<String> observed = recordRun();

    // JOSDK asks whether it may use the Lease before electing; every authenticated user may ask (system:basic-user)
    assertThat(observed.remove("authorization.k8s.io/selfsubjectrulesreviews create")).isTrue();
    Set<String> leaseRequests = new TreeSet<>(observed);
    leaseRequests.removeIf(r -> !r.startsWith("coordination.k8s.io/leases "));
    observed.removeAll(leaseRequests);

    assertThat(granted).as("ClusterRole covers the dependents").containsAll(derived);
    assertThat(granted).as("ClusterRole covers every request of the recorded run").containsAll(observed);
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(derived);
    unused.removeAll(observed);
    unused.remove("berth.dev/registries/finalizers update"); // owner references with blockOwnerDeletion need it
    assertThat(unused).as("ClusterRole grants nothing unused").isEmpty();

    Set<String> leaseGrants = grants(LEASE_ROLE, "Role");
    assertThat(leaseRequests).as("the leader election ran").isNotEmpty();
    assertThat(leaseGrants).as("the Role covers leader election").containsAll(leaseRequests);
    // JOSDK checks for create, update and get before it runs for leader (the run above got that far)
    Set<String> needed = new TreeSet<>(leaseRequests);
    for (String verb : List.of("create", "update", "get")) {
      needed.add(key("coordination.k8s.io", "leases", verb));
    }
    assertThat(needed).as("the Role grants nothing unused").containsAll(leaseGrants);
  }

  /** "group/resource verb" for every rule of the given kind in a deploy file. */
  static Set<String> grants(Path file, String kind) throws Exception {
    Set<String> grants = new TreeSet<>();
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    try (var parser = yaml.createParser(file.toFile())) {
      for (var docs = yaml.readValues(parser, JsonNode.class); docs.hasNext(); ) {
        JsonNode doc = docs.next();
        if (!kind.equals(doc.path("kind").asText())) {
          continue;
        }
        for (JsonNode rule : doc.path("rules")) {
          for (JsonNode group : rule.path("apiGroups")) {
            for (JsonNode resource : rule.path("resources")) {
              for (JsonNode verb : rule.path("verbs")) {
                grants.add(key(group.asText(), resource.asText(), verb.asText()));
              }
            }
          }
        }
      }
    }
    assertThat(grants).as(kind + " rules in " + file).isNotEmpty();
    return grants;
  }

  /**
   * Informers list and watch; creators create; updaters replace; deleters delete unless the garbage collector does it
   * for them (a dependent with a reconcile precondition is deleted by the operator when the condition turns false).
   */
  @SuppressWarnings("unchecked")
  static Set<String> derivedFromWorkflow() {
    Set<String> rules = new TreeSet<>();
    Workflow workflow = RegistryReconciler.class.getAnnotation(Workflow.class);
    for (Dependent dependent : workflow.dependents()) {
      Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) resourceType(dependent.type());
      String group = HasMetadata.getGroup(type);
      String plural = HasMetadata.getPlural(type);
      rules.add(key(group, plural, "list"));
      rules.add(key(group, plural, "watch"));
      if (Creator.class.isAssignableFrom(dependent.type())) {
        rules.add(key(group, plural, "create"));
      }
      if (Updater.class.isAssignableFrom(dependent.type())) {
        rules.add(key(group, plural, "update"));
      }
      boolean conditional =
          dependent.reconcilePrecondition() != io.javaoperatorsdk.operator.processing.dependent.workflow.Condition.class;
      if (io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter.class.isAssignableFrom(dependent.type())
          && (!GarbageCollected.class.isAssignableFrom(dependent.type()) || conditional)) {
        rules.add(key(group, plural, "delete"));
      }
    }
    String group = HasMetadata.getGroup(Registry.class);
    String plural = HasMetadata.getPlural(Registry.class);
    rules.add(key(group, plural, "list"));
    rules.add(key(group, plural, "watch"));
    return rules;
  }

  private static Type resourceType(Class<?> dependentClass) {
    for (Class<?> c = dependentClass; c != null; c = c.getSuperclass()) {
      if (c.getGenericSuperclass() instanceof ParameterizedType p) {
        return p.getActualTypeArguments()[0];
      }
    }
    throw new AssertionError("no resource type on " + dependentClass);
  }

  /** Runs an operator whose client records "group/resource verb" for every request it sends. */
  private Set<String> recordRun() throws Exception {
    Set<String> seen = new ConcurrentSkipListSet<>();
    Interceptor recorder = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        seen.add(requestKey(request.method(), request.uri().getRawPath(), request.uri().getRawQuery()));
      }
    };
    KubernetesClient recording = new KubernetesClientBuilder()
        .withConfig(client.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rbac-recorder", recorder))
        .build();
    OperatorTestSupport.installCrd(client);
    // the mock server cannot review rules: answer as an API server would for the Role in deploy/
    List<String> leaseVerbs = grants(LEASE_ROLE, "Role").stream()
        .filter(g -> g.startsWith("coordination.k8s.io/leases "))
        .map(g -> g.substring(g.indexOf(' ') + 1))
        .toList();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder()
            .withNewMetadata().endMetadata()
            .withNewSpec().withNamespace("berth-system").endSpec()
            .withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs(leaseVerbs).endResourceRule()
            .endStatus()
            .build())
        .always();
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(
        "BERTH_RECHECK_SECONDS", "1", "BERTH_HEALTH_ADDR", "off",
        "BERTH_LEADER_ELECTION", "true", "POD_NAMESPACE", "berth-system"), BuildInfo.load());
    var lease = settings.leaderElection().orElseThrow();
    settings = new OperatorSettings(settings.registryImage(), settings.namespaces(),
        java.util.Optional.of(new OperatorSettings.LeaseSettings(lease.name(), lease.namespace(), false)),
        settings.health(), settings.recheck(), settings.nodeAgentImage());
    Operator operator = BerthOperator.create(recording, settings, Clock.systemUTC(), false);
    operator.start();
    try {
      lifeCycle();
    } finally {
      operator.stop();
      recording.close();
    }
    return seen;
  }

  private void lifeCycle() {
    var statefulSets = new StatefulSetControllerDouble(client);
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName("disk")
        .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
        .withProvisioner("example.com/disk").withAllowVolumeExpansion(true).build()).create();
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    PersistentVolumeClaimStorage claim = new PersistentVolumeClaimStorage();
    claim.setSize("1Gi");
    storage.setPersistentVolumeClaim(claim);
    storage.setDeletionPolicy(DeletionPolicy.Delete);
    spec.setStorage(storage);
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    // asks for a ServiceMonitor: the operator looks for the Prometheus Operator's CRDs (absent here)
    dev.berth.operator.spec.MetricsSpec metrics = new dev.berth.operator.spec.MetricsSpec();
    metrics.setServiceMonitor(true);
    spec.setMetrics(metrics);
    client.resource(OperatorTestSupport.registry(NS, "rbac", spec)).create();
    RegistrySpec userCertificate = new RegistrySpec();
    TlsSpec fromSecret = new TlsSpec();
    fromSecret.setMode(TlsMode.Secret);
    fromSecret.setSecretName("not-there-yet");
    userCertificate.setTls(fromSecret);
    client.resource(OperatorTestSupport.registry(NS, "rbac-secret", userCertificate)).create();
    Duration wait = Duration.ofSeconds(20);
    await().atMost(wait).until(() -> client.apps().statefulSets().inNamespace(NS).withName("rbac").get() != null);
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("rbac-0")
        .withLabels(Map.of("app.kubernetes.io/name", "berth-registry", "app.kubernetes.io/instance", "rbac"))
        .endMetadata().build()).create();
    statefulSets.settle(NS, "rbac", "Pending", 0);
    await().atMost(wait).until(() -> readyStatus("rbac").equals("False"));
    var bound = client.persistentVolumeClaims().inNamespace(NS).withName("data-rbac-0").get();
    bound.getStatus().setPhase("Bound");
    client.persistentVolumeClaims().inNamespace(NS).resource(bound).updateStatus();
    await().atMost(wait).until(() -> readyReason("rbac").equals("Progressing"));
    statefulSets.settle(NS, "rbac", "Bound", 1);
    await().atMost(wait).until(() -> readyStatus("rbac").equals("True"));
    await().atMost(wait).until(() -> readyReason("rbac-secret").equals("TLSNotReady"));
    OperatorTestSupport.editRegistry(client, NS, "rbac",
        registry -> registry.getSpec().getStorage().getPersistentVolumeClaim().setSize("2Gi"));
    await().atMost(wait).until(() -> new Quantity("2Gi").equals(client.persistentVolumeClaims().inNamespace(NS)
        .withName("data-rbac-0").get().getSpec().getResources().getRequests().get("storage")));
    // node access: a node, the Service's ClusterIP, an agent reporting; discovery is published
    var agents = new NodeAgentDouble(client);
    agents.addNode("node-1", Map.of(), List.of());
    agents.assignClusterIp(NS, "rbac", "10.96.0.20");
    await().atMost(wait).until(() -> client.apps().daemonSets().inNamespace(NS).withName("rbac-node-agent").get() != null
        && client.configMaps().inNamespace("kube-public").withName("local-registry-hosting").get() != null);
    agents.report(NS, "rbac", "node-1", RuntimeOutcome.CONFIGURED, "");
    await().atMost(wait).until(() -> conditionStatus("rbac", "NodesConfigured").equals("True"));
    // deletion waits for the agent to report the removal, then everything goes
    client.resources(Registry.class).inNamespace(NS).withName("rbac").delete();
    await().atMost(wait).until(() -> agents.plan(NS, "rbac").contains("\"enabled\":false"));
    agents.report(NS, "rbac", "node-1", RuntimeOutcome.REMOVED, "");
    await().atMost(wait).until(() -> client.resources(Registry.class).inNamespace(NS).withName("rbac").get() == null
        && client.persistentVolumeClaims().inNamespace(NS).withName("data-rbac-0").get() == null
        && client.configMaps().inNamespace("kube-public").withName("local-registry-hosting").get() == null);
  }

  private String readyReason(String name) {
    Registry r = client.resources(Registry.class).inNamespace(NS).withName(name).get();
    return r == null || r.getStatus() == null
        ? ""
        : r.getStatus().condition("Ready").map(c -> c.getReason()).orElse("");
  }

  private String conditionStatus(String name, String type) {
    Registry r = client.resources(Registry.class).inNamespace(NS).withName(name).get();
    return r == null || r.getStatus() == null
        ? ""
        : r.getStatus().condition(type).map(c -> c.getStatus()).orElse("");
  }

  private String readyStatus(String name) {
    Registry r = client.resources(Registry.class).inNamespace(NS).withName(name).get();
    return r == null || r.getStatus() == null
        ? ""
        : r.getStatus().condition("Ready").map(c -> c.getStatus()).orElse("");
  }

  /** Maps a REST request to the RBAC verb the API server would check. */
  static String requestKey(String method, String path, String query) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    int i;
    String group;
    if (parts[0].equals("api")) {
      group = "";
      i = 2;
    } else {
      group = parts[1];
      i = 3;
    }
    if (parts.length > i + 1 && parts[i].equals("namespaces")) {
      i += 2; // a namespaced resource (or the namespace itself, when nothing follows)
    }
    String resource = parts.length > i ? parts[i] : "namespaces";
    boolean named = parts.length > i + 1;
    if (parts.length > i + 2) {
      resource = resource + "/" + parts[i + 2];
    }
    boolean watch = query != null && query.contains("watch=true");
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new AssertionError("unexpected method " + method + " " + path);
    };
    return key(group, resource, verb);
  }

  private static String key(String group, String resource, String verb) {
    return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
  }
}
