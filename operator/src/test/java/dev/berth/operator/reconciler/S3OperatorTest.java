package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.ScriptedBucketCheck;
import static dev.berth.operator.S3Fixture.s3Spec;
import dev.berth.operator.StatefulSetControllerDouble;
import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.observe.Observations;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.EmptyDirStorage;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.storage.BucketCheck;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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

/**
 * spec.storage.s3 and several replicas, with the operator running against the mock API server and a scripted bucket
 * check (SdkBucketCheckTest asks a real S3 server).
 */
@EnableKubernetesMockClient(crud = true)
class S3OperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  static CrdValidator crdValidator;

  KubernetesClient client;
  Operator operator;
  ReconcileCounter reconciles;
  StatefulSetControllerDouble statefulSets;
  ScriptedBucketCheck bucket = new ScriptedBucketCheck();

  @BeforeAll
  static void loadCrd() throws Exception {
    crdValidator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  @BeforeEach
  void startOperator() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.Running running = OperatorTestSupport.start(client, bucket);
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
  void threeReplicasOnABucketGetNoVolumeCredentialsFromTheSecretABudgetAndSpreading() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "wJalr/secret"));
    create(registry(NS, "shared", s3Spec(3, "registry-s3")));

    StatefulSet sts = awaitObject(StatefulSet.class, "shared");
    String config = awaitObject(io.fabric8.kubernetes.api.model.ConfigMap.class, "shared-config").getData()
        .get("config.yaml");
    assertThat(config)
        .contains("bucket: registry-data")
        .contains("regionendpoint: http://s3.storage.svc:9000")
        .contains("region: eu-west-1")
        .contains("forcepathstyle: true")
        .contains("rootdirectory: team")
        .doesNotContain("filesystem")
        .doesNotContain("AKIAEXAMPLE")
        .doesNotContain("wJalr")
        .doesNotContainIgnoringCase("accesskey")
        .doesNotContainIgnoringCase("secretkey");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).doesNotContain("data");
    var container = pod.getContainers().get(0);
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).doesNotContain("/var/lib/registry");
    assertThat(container.getEnv()).extracting(EnvVar::getName)
        .containsExactlyInAnyOrder("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY");
    assertThat(container.getEnv()).allSatisfy(env -> {
      assertThat(env.getValue()).isNull();
      assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("registry-s3");
    });
    assertThat(container.getEnv()).extracting(e -> e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactlyInAnyOrder("accessKey", "secretKey");
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(StatefulSetDependent.S3_CREDENTIALS_VERSION_ANNOTATION);
    assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
        .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    assertThat(pod.getTopologySpreadConstraints()).allSatisfy(c -> {
      assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
      assertThat(c.getLabelSelector().getMatchLabels())
          .containsEntry("app.kubernetes.io/instance", "shared")
          .containsEntry("app.kubernetes.io/name", "berth-registry");
    });

    PodDisruptionBudget budget = awaitObject(PodDisruptionBudget.class, "shared");
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(sts.getSpec().getSelector().getMatchLabels());
    assertThat(budget.getMetadata().getOwnerReferences()).anySatisfy(ref -> assertThat(ref.getKind())
        .isEqualTo("Registry"));

    // the operator asked the bucket where the pods will, with the keys they will get
    assertThat(bucket.lastLocation().bucket()).isEqualTo("registry-data");
    assertThat(bucket.lastLocation().endpoint()).map(Object::toString).contains("http://s3.storage.svc:9000");
    assertThat(bucket.lastLocation().region()).isEqualTo("eu-west-1");
    assertThat(bucket.lastLocation().forcePathStyle()).isTrue();
    assertThat(bucket.lastCredentials().accessKey()).isEqualTo("AKIAEXAMPLE");
    assertThat(bucket.lastCredentials().secretKey()).isEqualTo("wJalr/secret");

    statefulSets.settle(NS, "shared", "Bound", 3);
    Registry ready = awaitCondition("shared", "Ready", "True");
    assertThat(condition(ready, "StorageReady")).get().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("BucketReachable");
      assertThat(c.getMessage()).contains("registry-data").contains("registry-s3");
    });
    assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(3);
  }

  @Test
  void scalingToOneReplicaRemovesTheBudgetAndTheSpreading() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    create(registry(NS, "scale", s3Spec(2, "registry-s3")));
    awaitObject(PodDisruptionBudget.class, "scale");

    OperatorTestSupport.editRegistry(client, NS, "scale", r -> r.getSpec().setReplicas(1));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("scale").get()).isNull();
      StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("scale").get();
      assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
      assertThat(sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).isNullOrEmpty();
    });
  }

  @Test
  void aMissingCredentialsSecretOrKeyBlocksWithAConditionUntilBothKeysAreThere() {
    create(registry(NS, "nocreds", s3Spec(1, "registry-s3")));

    Registry waiting = awaitCondition("nocreds", "StorageReady", "False");
    assertThat(condition(waiting, "StorageReady")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("CredentialsSecretNotFound");
      assertThat(c.getMessage()).contains("registry-s3").contains("storage.s3.credentialsSecret");
    });
    assertThat(condition(waiting, "Ready")).map(Condition::getReason).contains("StorageNotReady");
    reconciles.awaitNextReconcile(NS, "nocreds", WAIT);
    assertNothingMadeFor("nocreds");
    assertThat(bucket.calls()).as("no bucket check without credentials").isZero();

    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get("nocreds"), "StorageReady"))
        .map(Condition::getReason).contains("CredentialsKeyMissing"));
    assertThat(condition(get("nocreds"), "StorageReady")).map(Condition::getMessage).get().asString()
        .contains("no key secretKey");
    assertNothingMadeFor("nocreds");

    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    awaitObject(StatefulSet.class, "nocreds");
    awaitCondition("nocreds", "StorageReady", "True");
  }

  @Test
  void aFailingBucketCheckIsReportedWithTheS3ErrorAndChangesNothingThatRuns() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    create(registry(NS, "running", s3Spec(1, "registry-s3")));
    StatefulSet before = awaitObject(StatefulSet.class, "running");
    statefulSets.settle(NS, "running", "Bound", 1);
    awaitCondition("running", "Ready", "True");

    bucket.answer(BucketCheck.Result.failed(BucketCheck.Outcome.ACCESS_DENIED,
        "HTTP 403 InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records."));
    credentials("registry-s3", Map.of("accessKey", "AKIAWRONG", "secretKey", "secret"));
    OperatorTestSupport.editRegistry(client, NS, "running", r -> r.getSpec().setImage("registry.example/berth:2"));

    Registry refused = awaitCondition("running", "StorageReady", "False");
    assertThat(condition(refused, "StorageReady")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("AccessDenied");
      assertThat(c.getMessage()).contains("bucket registry-data at http://s3.storage.svc:9000")
          .contains("InvalidAccessKeyId").contains("registry-s3");
    });
    assertThat(condition(refused, "Ready")).map(Condition::getMessage).get().asString()
        .contains("nothing is changed");
    reconciles.awaitNextReconcile(NS, "running", WAIT);
    StatefulSet still = client.apps().statefulSets().inNamespace(NS).withName("running").get();
    assertThat(still.getSpec().getTemplate()).as("the running pods' template is untouched")
        .isEqualTo(before.getSpec().getTemplate());

    bucket.answer(BucketCheck.Result.failed(BucketCheck.Outcome.NO_SUCH_BUCKET, "HTTP 404 NoSuchBucket"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get("running"), "StorageReady"))
        .map(Condition::getMessage).get().asString().contains("does not exist").contains("HTTP 404 NoSuchBucket"));

    bucket.answer(BucketCheck.Result.reachable());
    await().atMost(WAIT).untilAsserted(() -> {
      StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("running").get();
      assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("registry.example/berth:2");
      // rotated credentials restart the pods: env from a Secret is read at container start only
      assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()
          .get(StatefulSetDependent.S3_CREDENTIALS_VERSION_ANNOTATION))
          .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations()
              .get(StatefulSetDependent.S3_CREDENTIALS_VERSION_ANNOTATION));
    });
  }

  @Test
  void withoutACredentialsSecretThePodsUseTheirOwnIdentity() {
    RegistrySpec spec = s3Spec(2, null);
    spec.setServiceAccountName("registry-s3");
    create(registry(NS, "irsa", spec));

    StatefulSet sts = awaitObject(StatefulSet.class, "irsa");
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("registry-s3");
    assertThat(pod.getContainers().get(0).getEnv()).isNullOrEmpty();
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(StatefulSetDependent.S3_CREDENTIALS_VERSION_ANNOTATION);
    statefulSets.settle(NS, "irsa", "Bound", 2);
    Registry ready = awaitCondition("irsa", "Ready", "True");
    assertThat(condition(ready, "StorageReady")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("PodIdentity");
      assertThat(c.getMessage()).contains("ServiceAccount registry-s3");
    });
    assertThat(bucket.calls()).as("the operator's identity is not the pods'").isZero();
  }

  @Test
  void switchingFromEmptyDirToS3RollsThePodsAndSaysNothingIsCopied() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    RegistrySpec spec = new RegistrySpec();
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(new EmptyDirStorage());
    spec.setStorage(storage);
    create(registry(NS, "move", spec));
    StatefulSet before = awaitObject(StatefulSet.class, "move");
    assertThat(before.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).contains("data");

    OperatorTestSupport.editRegistry(client, NS, "move", r -> {
      r.getSpec().getStorage().setEmptyDir(null);
      r.getSpec().getStorage().setS3(s3Spec(1, "registry-s3").getStorage().getS3());
    });

    await().atMost(WAIT).untilAsserted(() -> {
      StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("move").get();
      assertThat(sts.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName())
          .doesNotContain("data");
      assertThat(sts.getMetadata().getAnnotations()).containsEntry("berth.dev/storage", "s3");
      assertThat(client.configMaps().inNamespace(NS).withName("move-config").get().getData().get("config.yaml"))
          .contains("bucket: registry-data").doesNotContain("filesystem");
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(events("move"))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("StorageSwitched");
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains("from emptyDir to s3").contains("nothing is copied");
        }));
  }

  @Test
  void switchingFromAClaimTemplateToS3IsRefusedAndChangesNothing() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    create(registry(NS, "claimed", new RegistrySpec()));
    StatefulSet before = awaitObject(StatefulSet.class, "claimed");
    statefulSets.settle(NS, "claimed", "Bound", 1);
    awaitCondition("claimed", "Ready", "True");

    OperatorTestSupport.editRegistry(client, NS, "claimed",
        r -> r.getSpec().setStorage(s3Spec(1, "registry-s3").getStorage()));

    Registry refused = awaitCondition("claimed", "Ready", "False");
    assertThat(condition(refused, "Ready")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("InvalidSpec");
      assertThat(c.getMessage()).contains("cannot switch from persistentVolumeClaim to s3")
          .contains("nothing was changed");
    });
    reconciles.awaitNextReconcile(NS, "claimed", WAIT);
    StatefulSet still = client.apps().statefulSets().inNamespace(NS).withName("claimed").get();
    assertThat(still.getSpec()).isEqualTo(before.getSpec());
    assertThat(client.configMaps().inNamespace(NS).withName("claimed-config").get().getData().get("config.yaml"))
        .contains("filesystem");
  }

  @Test
  void severalReplicasOnOwnVolumesAreRefusedWithoutObjects() throws Exception {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(3);
    assertThat(crdValidator.violations(CrdValidator.toTree(registry(NS, "own", spec)))).isNotEmpty();
    client.resource(registry(NS, "own", spec)).create();

    Registry refused = awaitCondition("own", "Ready", "False");
    assertThat(condition(refused, "Ready")).map(Condition::getMessage).get().asString()
        .contains("replicas > 1 needs shared storage: set storage.s3");
    reconciles.awaitNextReconcile(NS, "own", WAIT);
    assertNothingMadeFor("own");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("own").get()).isNull();
  }

  @Test
  void scalingARegistryOnItsOwnClaimIsRefusedAndItKeepsRunningAsItWas() {
    create(registry(NS, "single", new RegistrySpec()));
    StatefulSet before = awaitObject(StatefulSet.class, "single");
    statefulSets.settle(NS, "single", "Bound", 1);
    awaitCondition("single", "Ready", "True");

    OperatorTestSupport.editRegistry(client, NS, "single", r -> r.getSpec().setReplicas(3));

    Registry refused = awaitCondition("single", "Ready", "False");
    assertThat(condition(refused, "Ready")).get().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("InvalidSpec");
      assertThat(c.getMessage()).contains("replicas > 1 needs shared storage");
    });
    reconciles.awaitNextReconcile(NS, "single", WAIT);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("single").get().getSpec())
        .isEqualTo(before.getSpec());
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("single").get()).isNull();
  }

  @Test
  void aReadWriteManyClaimAlsoCarriesSeveralReplicasWithABudget() {
    client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("nfs-data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteMany").endSpec()
        .withNewStatus().withPhase("Bound").endStatus().build()).create();
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(2);
    StorageSpec storage = new StorageSpec();
    storage.setExistingClaim("nfs-data");
    spec.setStorage(storage);
    create(registry(NS, "rwx", spec));

    StatefulSet sts = awaitObject(StatefulSet.class, "rwx");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).hasSize(2);
    assertThat(awaitObject(PodDisruptionBudget.class, "rwx").getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void theTokenKeyIsMadeOnceAndSharedByEveryReplica() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    client.secrets().inNamespace(NS).resource(Observations.secret("users", Map.of("alice", "pw"))).create();
    RegistrySpec spec = s3Spec(3, "registry-s3");
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Token);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("users", "alice"));
    auth.setUsers(List.of(alice));
    spec.setAuth(auth);
    create(registry(NS, "tokens", spec));
    Secret first = awaitObject(Secret.class, "tokens-auth");
    String key = first.getData().get("token.key");
    assertThat(key).isNotBlank();
    assertThat(awaitObject(StatefulSet.class, "tokens").getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getProjected()).isNotNull());

    OperatorTestSupport.editRegistry(client, NS, "tokens", r -> r.getSpec().setReplicas(5));
    await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(NS).withName("tokens").get()
        .getSpec().getReplicas() == 5);
    reconciles.awaitNextReconcile(NS, "tokens", WAIT);
    assertThat(client.secrets().inNamespace(NS).withName("tokens-auth").get().getData().get("token.key"))
        .as("one key for all replicas, kept across reconciles").isEqualTo(key);
  }

  @Test
  void deletingTheRegistryLeavesTheBucketAlone() {
    credentials("registry-s3", Map.of("accessKey", "AKIAEXAMPLE", "secretKey", "secret"));
    create(registry(NS, "gone", s3Spec(1, "registry-s3")));
    awaitObject(StatefulSet.class, "gone");

    client.resources(Registry.class).inNamespace(NS).withName("gone").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(events("gone")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("BucketRetained");
      assertThat(e.getMessage()).contains("registry-data");
    }));
  }

  private void credentials(String name, Map<String, String> keys) {
    client.secrets().inNamespace(NS).resource(Observations.secret(name, keys)).createOr(s -> s.update());
  }

  private Registry create(Registry registry) {
    assertThat(crdValidator.violations(CrdValidator.toTree(registry))).as("CRD validation").isEmpty();
    return client.resource(registry).create();
  }

  private Registry get(String name) {
    return client.resources(Registry.class).inNamespace(NS).withName(name).get();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T awaitObject(Class<T> type, String name) {
    return await().atMost(WAIT).until(() -> client.resources(type).inNamespace(NS).withName(name).get(),
        java.util.Objects::nonNull);
  }

  private Registry awaitCondition(String name, String type, String status) {
    return await().atMost(WAIT).until(() -> get(name),
        r -> r != null && condition(r, type).map(c -> status.equals(c.getStatus())).orElse(false));
  }

  static Optional<Condition> condition(Registry registry, String type) {
    return registry == null || registry.getStatus() == null ? Optional.empty() : registry.getStatus().condition(type);
  }

  private List<Event> events(String registry) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> registry.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private void assertNothingMadeFor(String name) {
    assertThat(client.apps().statefulSets().inNamespace(NS).withName(name).get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName(name + "-config").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName(name).get()).isNull();
  }
}
