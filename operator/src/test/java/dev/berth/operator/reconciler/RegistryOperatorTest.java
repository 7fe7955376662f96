package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.StatefulSetControllerDouble;
import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.EmptyDirStorage;
import dev.berth.operator.spec.LogLevel;
import dev.berth.operator.spec.MetricsSpec;
import dev.berth.operator.spec.PersistentVolumeClaimStorage;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.ServerSpec;
import dev.berth.operator.spec.ServiceSpec;
import dev.berth.operator.spec.ServiceType;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator running for real against the Fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class RegistryOperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  static CrdValidator crdValidator;

  KubernetesClient client;
  Operator operator;
  ReconcileCounter reconciles;
  StatefulSetControllerDouble statefulSets;

  @BeforeAll
  static void loadCrd() throws Exception {
    crdValidator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  @BeforeEach
  void startOperator() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.Running running = OperatorTestSupport.start(client);
    operator = running.operator();
    reconciles = running.reconciles();
    statefulSets = new StatefulSetControllerDouble(client);
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void minimalRegistryGetsEveryObjectAndBecomesReady() {
    Registry created = create(registry(NS, "main", new RegistrySpec()));

    StatefulSet sts = awaitObject(StatefulSet.class, "main");
    ConfigMap config = awaitObject(ConfigMap.class, "main-config");
    Service service = awaitObject(Service.class, "main");
    Service headless = awaitObject(Service.class, "main-headless");

    assertThat(config.getData().get("config.yaml"))
        .contains("rootdirectory: /var/lib/registry")
        .contains("addr: :5000");
    var pod = sts.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(OperatorTestSupport.settings().registryImage());
    assertThat(container.getImage()).startsWith("ghcr.io/berth-dev/registry-server:");
    assertThat(container.getArgs()).containsExactly("serve", "/etc/berth/config.yaml");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(5000);
    assertThat(container.getPorts().get(0).getName()).isEqualTo("registry");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(StatefulSetDependent.CONFIG_HASH_ANNOTATION);
    assertThat(sts.getSpec().getVolumeClaimTemplates()).hasSize(1);
    assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("10Gi"));
    assertThat(sts.getSpec().getServiceName()).isEqualTo("main-headless");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(5000);
    // metrics are on by default: the debug listener on 5001, named metrics on the pod and both Services
    assertThat(config.getData().get("config.yaml")).contains("debug:", "addr: :5001", "path: /metrics");
    assertThat(container.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getContainerPort()).isEqualTo(5001);
    });
    for (Service s : List.of(service, headless)) {
      assertThat(s.getSpec().getPorts()).as(s.getMetadata().getName()).anySatisfy(p -> {
        assertThat(p.getName()).isEqualTo("metrics");
        assertThat(p.getPort()).isEqualTo(5001);
        assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
      });
    }
    assertThat(headless.getMetadata().getLabels()).containsEntry("berth.dev/service", "headless");
    assertThat(service.getMetadata().getLabels()).doesNotContainKey("berth.dev/service");

    String uid = client.resource(created).get().getMetadata().getUid();
    for (HasMetadata owned : List.of(sts, config, service, headless)) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .as("owner of %s", owned.getMetadata().getName())
          .anySatisfy(ref -> {
            assertThat(ref.getUid()).isEqualTo(uid);
            assertThat(ref.getKind()).isEqualTo("Registry");
          });
    }

    awaitCondition("main", "Ready", "False");
    statefulSets.settle(NS, "main", "Bound", 1);
    Registry ready = awaitCondition("main", "Ready", "True");
    assertThat(ready.getStatus().getEndpoint()).isEqualTo("main.registry.svc.cluster.local:5000");
    assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(condition(ready, "StorageReady")).map(Condition::getStatus).contains("True");
    assertThat(condition(ready, "Ready")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("AllReplicasReady");
      assertThat(c.getLastTransitionTime()).isNotBlank();
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(eventReasons("main")).contains("AllReplicasReady"));
  }

  @Test
  void metricsTurnedOffTakeTheDebugListenerAndItsPortsAway() throws Exception {
    create(registry(NS, "quiet", new RegistrySpec()));
    await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("quiet").get(),
        s -> s != null && s.getSpec().getPorts().size() == 2);
    OperatorTestSupport.editRegistry(client, NS, "quiet", r -> {
      MetricsSpec metrics = new MetricsSpec();
      metrics.setEnabled(false);
      r.getSpec().setMetrics(metrics);
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.configMaps().inNamespace(NS).withName("quiet-config").get().getData().get("config.yaml"))
          .doesNotContain("debug");
      assertThat(client.apps().statefulSets().inNamespace(NS).withName("quiet").get().getSpec().getTemplate()
          .getSpec().getContainers().get(0).getPorts()).extracting(p -> p.getName()).containsExactly("registry");
      for (String name : List.of("quiet", "quiet-headless")) {
        assertThat(client.services().inNamespace(NS).withName(name).get().getSpec().getPorts())
            .as(name).extracting(p -> p.getName()).containsExactly("registry");
      }
    });
  }

  @Test
  void secondPassWritesNothing() throws Exception {
    create(registry(NS, "idem", new RegistrySpec()));
    awaitObject(StatefulSet.class, "idem");
    statefulSets.settle(NS, "idem", "Bound", 1);
    awaitCondition("idem", "Ready", "True");
    Map<String, String> before = versions("idem");

    // an event on a dependent makes the operator reconcile again; a label added by someone else is not drift
    Service headless = client.services().inNamespace(NS).withName("idem-headless").get();
    headless.getMetadata().getLabels().put("example.com/team", "platform");
    client.resource(headless).update();
    String headlessVersion = client.services().inNamespace(NS).withName("idem-headless").get()
        .getMetadata().getResourceVersion();
    reconciles.awaitNextReconcile(NS, "idem", WAIT);

    Map<String, String> after = versions("idem");
    before.put("headless", headlessVersion);
    assertThat(after).isEqualTo(before);
  }

  @Test
  void driftIsCorrected() {
    create(registry(NS, "drift", new RegistrySpec()));
    awaitObject(StatefulSet.class, "drift");
    awaitObject(Service.class, "drift");
    ConfigMap config = awaitObject(ConfigMap.class, "drift-config");

    client.resource(config).delete();
    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("drift").get();
    sts.getSpec().setReplicas(3);
    sts.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example/registry:1");
    client.resource(sts).update();
    Service service = client.services().inNamespace(NS).withName("drift").get();
    service.getSpec().getPorts().get(0).setPort(6000);
    client.resource(service).update();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.configMaps().inNamespace(NS).withName("drift-config").get()).isNotNull();
      StatefulSet now = client.apps().statefulSets().inNamespace(NS).withName("drift").get();
      assertThat(now.getSpec().getReplicas()).isEqualTo(1);
      assertThat(now.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo(OperatorTestSupport.settings().registryImage());
      assertThat(client.services().inNamespace(NS).withName("drift").get().getSpec().getPorts().get(0).getPort())
          .isEqualTo(5000);
    });
  }

  @Test
  void specChangesAreFollowed() {
    create(registry(NS, "change", new RegistrySpec()));
    StatefulSet first = awaitObject(StatefulSet.class, "change");
    String firstHash = first.getSpec().getTemplate().getMetadata().getAnnotations()
        .get(StatefulSetDependent.CONFIG_HASH_ANNOTATION);

    ServiceSpec service = new ServiceSpec();
    service.setType(ServiceType.NodePort);
    service.setNodePort(30500);
    ServerSpec server = new ServerSpec();
    server.setLogLevel(LogLevel.debug);
    server.setReadOnly(true);
    OperatorTestSupport.editRegistry(client, NS, "change", registry -> {
      registry.getSpec().setImage("registry.example/berth:2");
      registry.getSpec().setReplicas(0);
      registry.getSpec().setService(service);
      registry.getSpec().setServer(server);
    });

    await().atMost(WAIT).untilAsserted(() -> {
      StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("change").get();
      assertThat(sts.getSpec().getReplicas()).isZero();
      assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("registry.example/berth:2");
      assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()
          .get(StatefulSetDependent.CONFIG_HASH_ANNOTATION)).isNotEqualTo(firstHash);
      Service svc = client.services().inNamespace(NS).withName("change").get();
      assertThat(svc.getSpec().getType()).isEqualTo("NodePort");
      assertThat(svc.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30500);
      assertThat(client.configMaps().inNamespace(NS).withName("change-config").get().getData().get("config.yaml"))
          .contains("level: debug")
          .containsPattern("readonly:\\s+enabled: true");
    });
    Registry scaledDown = awaitCondition("change", "Ready", "False");
    assertThat(condition(scaledDown, "Ready")).map(Condition::getReason).contains("ScaledToZero");
  }

  @Test
  void growingTheSizeExpandsClaimsWhereTheClassAllowsIt() {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName("expandable").endMetadata()
        .withProvisioner("example.com/disk")
        .withAllowVolumeExpansion(true)
        .build()).create();
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    PersistentVolumeClaimStorage claim = new PersistentVolumeClaimStorage();
    claim.setSize("1Gi");
    claim.setStorageClassName("expandable");
    storage.setPersistentVolumeClaim(claim);
    spec.setStorage(storage);
    create(registry(NS, "grow", spec));
    awaitObject(StatefulSet.class, "grow");
    statefulSets.settle(NS, "grow", "Bound", 1);
    awaitCondition("grow", "Ready", "True");

    OperatorTestSupport.editRegistry(client, NS, "grow",
        registry -> registry.getSpec().getStorage().getPersistentVolumeClaim().setSize("2Gi"));

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.persistentVolumeClaims().inNamespace(NS)
        .withName("data-grow-0").get().getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("2Gi")));
    // the claim template of a StatefulSet is immutable: it keeps the size it was created with
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("grow").get().getSpec()
        .getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("1Gi"));

    OperatorTestSupport.editRegistry(client, NS, "grow",
        registry -> registry.getSpec().getStorage().getPersistentVolumeClaim().setSize("1Gi"));
    Registry refused = awaitCondition("grow", "StorageReady", "False");
    assertThat(condition(refused, "StorageReady")).map(Condition::getReason).contains("ShrinkNotSupported");
  }

  @Test
  void deletionRetainsClaimsByDefault() {
    create(registry(NS, "keep", new RegistrySpec()));
    awaitObject(StatefulSet.class, "keep");
    statefulSets.settle(NS, "keep", "Bound", 1);
    awaitCondition("keep", "Ready", "True");
    assertThat(awaitObject(StatefulSet.class, "keep").getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenDeleted()).isEqualTo("Retain");

    client.resources(Registry.class).inNamespace(NS).withName("keep").delete();

    await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(NS).withName("keep").get() == null);
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-keep-0").get()).isNotNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-keep-0").get().getMetadata()
        .getOwnerReferences()).isNullOrEmpty();
    await().atMost(WAIT).untilAsserted(() -> assertThat(eventReasons("keep")).contains("ClaimsRetained"));
  }

  @Test
  void deletionPolicyDeleteRemovesTheClaims() {
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    storage.setDeletionPolicy(DeletionPolicy.Delete);
    spec.setStorage(storage);
    create(registry(NS, "drop", spec));
    awaitObject(StatefulSet.class, "drop");
    statefulSets.settle(NS, "drop", "Bound", 1);
    awaitCondition("drop", "Ready", "True");
    assertThat(awaitObject(StatefulSet.class, "drop").getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenDeleted()).isEqualTo("Delete");
    // a claim of another Registry with a similar name must survive
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data-drop-other-0").withLabels(Map.of("app.kubernetes.io/instance", "drop-other",
            "app.kubernetes.io/managed-by", "berth-operator")).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();

    client.resources(Registry.class).inNamespace(NS).withName("drop").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.resources(Registry.class).inNamespace(NS).withName("drop").get()).isNull();
      assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-drop-0").get()).isNull();
    });
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-drop-other-0").get()).isNotNull();
  }

  @Test
  void invalidSpecLeavesAConditionAndNoObjects() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(2);
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(new EmptyDirStorage());
    spec.setStorage(storage);
    createRefusedByCrd(registry(NS, "bad", spec));

    Registry refused = awaitCondition("bad", "Ready", "False");
    Condition ready = condition(refused, "Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).contains("replicas > 1 needs shared storage");
    reconciles.awaitNextReconcile(NS, "bad", WAIT);
    assertNothingMadeFor("bad");
    await().atMost(WAIT).untilAsserted(() -> assertThat(eventReasons("bad")).contains("InvalidSpec"));
  }

  @Test
  void replicasNeedAReadWriteManyExistingClaim() throws Exception {
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("old-registry-data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").endSpec()
        .withNewStatus().withPhase("Bound").endStatus().build()).create();
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(2);
    StorageSpec storage = new StorageSpec();
    storage.setExistingClaim("old-registry-data");
    spec.setStorage(storage);
    create(registry(NS, "shared", spec));

    Registry refused = awaitCondition("shared", "Ready", "False");
    assertThat(condition(refused, "Ready").orElseThrow().getMessage())
        .contains("ReadWriteMany")
        .contains("old-registry-data");
    reconciles.awaitNextReconcile(NS, "shared", WAIT);
    assertNothingMadeFor("shared");
  }

  @Test
  void missingExistingClaimBlocksUntilItAppears() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    storage.setExistingClaim("adopted");
    spec.setStorage(storage);
    create(registry(NS, "adopt", spec));

    Registry waiting = awaitCondition("adopt", "StorageReady", "False");
    assertThat(condition(waiting, "StorageReady").orElseThrow().getReason()).isEqualTo("ClaimNotFound");
    assertThat(condition(waiting, "Ready").orElseThrow().getMessage()).contains("adopted");
    reconciles.awaitNextReconcile(NS, "adopt", WAIT);
    assertNothingMadeFor("adopt");

    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("adopted").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").endSpec()
        .withNewStatus().withPhase("Bound").endStatus().build()).create();
    StatefulSet sts = awaitObject(StatefulSet.class, "adopt");
    assertThat(sts.getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("adopted"));
    statefulSets.settle(NS, "adopt", "Bound", 1);
    awaitCondition("adopt", "Ready", "True");
    // the adopted claim is the user's: no owner reference, so deleting the Registry never collects it
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("adopted").get().getMetadata()
        .getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void imagePullFailuresShowInTheReadyCondition() {
    RegistrySpec spec = new RegistrySpec();
    spec.setImage("registry.example/missing:1");
    create(registry(NS, "pull", spec));
    awaitObject(StatefulSet.class, "pull");
    statefulSets.settle(NS, "pull", "Bound", 0);
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("pull-0")
        .withLabels(Map.of("app.kubernetes.io/name", "berth-registry", "app.kubernetes.io/instance", "pull"))
        .endMetadata()
        .withNewSpec().addNewContainer().withName("registry").withImage("registry.example/missing:1").endContainer()
        .endSpec()
        .withNewStatus().addNewContainerStatus().withName("registry").withImage("registry.example/missing:1")
        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
        .withMessage("Back-off pulling image \"registry.example/missing:1\"").endWaiting().endState()
        .endContainerStatus().endStatus()
        .build()).create();

    await().atMost(WAIT).untilAsserted(() -> {
      Registry registry = client.resources(Registry.class).inNamespace(NS).withName("pull").get();
      assertThat(condition(registry, "Ready")).map(Condition::getReason).contains("ImagePullFailed");
      assertThat(condition(registry, "Ready")).map(Condition::getMessage).get().asString()
          .contains("pull-0").contains("registry.example/missing:1");
    });
  }

  @Test
  void missingStorageClassIsReported() {
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    PersistentVolumeClaimStorage claim = new PersistentVolumeClaimStorage();
    claim.setStorageClassName("fast-ssd");
    storage.setPersistentVolumeClaim(claim);
    spec.setStorage(storage);
    create(registry(NS, "nosc", spec));

    await().atMost(WAIT).untilAsserted(() -> {
      Registry registry = client.resources(Registry.class).inNamespace(NS).withName("nosc").get();
      assertThat(condition(registry, "StorageReady")).map(Condition::getReason).contains("StorageClassNotFound");
      assertThat(condition(registry, "StorageReady")).map(Condition::getMessage).get().asString().contains("fast-ssd");
      assertThat(condition(registry, "Ready")).map(Condition::getMessage).get().asString().contains("fast-ssd");
    });
  }

  @Test
  void pendingClaimWithoutDefaultClassIsExplained() {
    create(registry(NS, "pending", new RegistrySpec()));
    awaitObject(StatefulSet.class, "pending");
    statefulSets.settle(NS, "pending", "Pending", 0);

    await().atMost(WAIT).untilAsserted(() -> {
      Registry registry = client.resources(Registry.class).inNamespace(NS).withName("pending").get();
      assertThat(condition(registry, "StorageReady")).map(Condition::getReason).contains("NoDefaultStorageClass");
    });

    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName("standard")
        .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
        .withProvisioner("example.com/disk").build()).create();
    await().atMost(WAIT).untilAsserted(() -> {
      Registry registry = client.resources(Registry.class).inNamespace(NS).withName("pending").get();
      assertThat(condition(registry, "StorageReady")).map(Condition::getReason).contains("ClaimPending");
      assertThat(condition(registry, "StorageReady")).map(Condition::getMessage).get().asString()
          .contains("data-pending-0");
    });
  }

  /** Creates a Registry the API server would accept (checked against the generated CRD's schema and CEL rules). */
  private Registry create(Registry registry) {
    assertThat(crdValidator.violations(CrdValidator.toTree(registry))).as("CRD validation").isEmpty();
    return client.resource(registry).create();
  }

  /**
   * Creates a Registry the API server would refuse, as on a cluster whose API server predates CEL validation: the
   * operator must refuse it on its own.
   */
  private Registry createRefusedByCrd(Registry registry) {
    assertThat(crdValidator.violations(CrdValidator.toTree(registry))).as("CRD validation").isNotEmpty();
    return client.resource(registry).create();
  }

  private <T extends HasMetadata> T awaitObject(Class<T> type, String name) {
    return await().atMost(WAIT).until(() -> client.resources(type).inNamespace(NS).withName(name).get(),
        java.util.Objects::nonNull);
  }

  private Registry awaitCondition(String name, String type, String status) {
    return await().atMost(WAIT).until(
        () -> client.resources(Registry.class).inNamespace(NS).withName(name).get(),
        r -> r != null && condition(r, type).map(c -> status.equals(c.getStatus())).orElse(false));
  }

  static Optional<Condition> condition(Registry registry, String type) {
    return registry.getStatus() == null ? Optional.empty() : registry.getStatus().condition(type);
  }

  private List<String> eventReasons(String registry) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> registry.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  private Map<String, String> versions(String name) {
    Map<String, String> versions = new java.util.TreeMap<>();
    versions.put("registry", client.resources(Registry.class).inNamespace(NS).withName(name).get()
        .getMetadata().getResourceVersion());
    versions.put("statefulset", client.apps().statefulSets().inNamespace(NS).withName(name).get()
        .getMetadata().getResourceVersion());
    versions.put("configmap", client.configMaps().inNamespace(NS).withName(name + "-config").get()
        .getMetadata().getResourceVersion());
    versions.put("service", client.services().inNamespace(NS).withName(name).get()
        .getMetadata().getResourceVersion());
    versions.put("headless", client.services().inNamespace(NS).withName(name + "-headless").get()
        .getMetadata().getResourceVersion());
    // the Secrets, claims and Events of the namespace: a second pass makes, changes and records none of them
    client.secrets().inNamespace(NS).list().getItems().forEach(s ->
        versions.put("secret " + s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
    client.persistentVolumeClaims().inNamespace(NS).list().getItems().forEach(c ->
        versions.put("claim " + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
    client.v1().events().inNamespace(NS).list().getItems().forEach(e ->
        versions.put("event " + e.getMetadata().getName(), e.getMetadata().getResourceVersion()));
    return versions;
  }

  private void assertNothingMadeFor(String name) {
    assertThat(client.apps().statefulSets().inNamespace(NS).withName(name).get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName(name + "-config").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName(name).get()).isNull();
    assertThat(client.services().inNamespace(NS).withName(name + "-headless").get()).isNull();
  }
}
