package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.gc.GcNames;
import dev.berth.operator.spec.EmptyDirStorage;
import dev.berth.operator.spec.GarbageCollectionSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.garbageCollection against the mock API server: the CronJob running garbage-collect next to the registry, the
 * on-demand Job of the trigger annotation, the run's report read back into status.garbageCollection with an Event,
 * and specs that cannot work refused with a condition. The test plays the Job controller.
 */
@EnableKubernetesMockClient(crud = true)
class GarbageCollectionOperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    // S3 registries' buckets are answered by the script, never asked of a real endpoint
    operator = OperatorTestSupport.start(client, new dev.berth.operator.ScriptedBucketCheck()).operator();
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  @Test
  void aScheduleMakesACronJobBesideTheRegistryAndATriggerMakesAJobWhoseReportBecomesStatus() throws Exception {
    GarbageCollectionSpec gc = new GarbageCollectionSpec();
    gc.setSchedule("0 3 * * *");
    gc.setGracePeriod("30m");
    gc.setDeleteUntagged(true);
    RegistrySpec spec = new RegistrySpec();
    spec.setGarbageCollection(gc);
    create(registry(NS, "team", spec));

    CronJob cron = await().atMost(WAIT)
        .until(() -> client.batch().v1().cronjobs().inNamespace(NS).withName("team-gc").get(), c -> c != null);
    assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).containsExactly("garbage-collect", "--report-file",
        "/dev/termination-log", "--grace-period", "30m", "--delete-untagged", "/etc/berth/config.yaml");
    assertThat(pod.getContainers().get(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("data");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-team-0");
    });
    assertThat(pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0))
        .satisfies(term -> {
          assertThat(term.getTopologyKey()).as("a ReadWriteOnce claim is shared on one node").isEqualTo(
              "kubernetes.io/hostname");
          assertThat(term.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "team");
        });
    assertThat(cron.getSpec().getJobTemplate().getMetadata().getLabels()).containsEntry(GcNames.RUN_LABEL, "team");

    OperatorTestSupport.editRegistry(client, NS, "team",
        r -> r.getMetadata().getAnnotations().put(GcNames.TRIGGER_ANNOTATION, "now-1"));
    Job job = await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(NS)
        .withLabel(GcNames.RUN_LABEL, "team").list().getItems().stream().findFirst().orElse(null), j -> j != null);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("garbage-collect");
    await().atMost(WAIT).untilAsserted(() -> assertThat(gcStatus("team"))
        .satisfies(status -> assertThat(status.getLastTrigger()).isEqualTo("now-1")));

    finish(job, "{\"lastStart\":\"2026-12-03T03:00:00Z\",\"lastCompletion\":\"2026-12-03T03:00:09Z\","
        + "\"manifestsDeleted\":3,\"blobsDeleted\":12,\"bytesFreed\":4096}");
    await().atMost(WAIT).untilAsserted(() -> {
      var status = gcStatus("team");
      assertThat(status.getLastJob()).isEqualTo(job.getMetadata().getName());
      assertThat(status.getBlobsDeleted()).isEqualTo(12L);
      assertThat(status.getManifestsDeleted()).isEqualTo(3L);
      assertThat(status.getBytesFreed()).isEqualTo(4096L);
      assertThat(status.getLastStart()).isEqualTo("2026-12-03T03:00:00Z");
      assertThat(status.getLastCompletion()).isEqualTo("2026-12-03T03:00:09Z");
      assertThat(status.getError()).isNull();
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(event -> {
          assertThat(event.getReason()).isEqualTo("GarbageCollected");
          assertThat(event.getMessage()).contains("3 manifests and 12 blobs", "4096 bytes");
        }));

    OperatorTestSupport.editRegistry(client, NS, "team", r -> r.getSpec().getGarbageCollection().setSchedule(null));
    await().atMost(WAIT).until(() -> client.batch().v1().cronjobs().inNamespace(NS).withName("team-gc").get() == null);
  }

  @Test
  void aFailedRunIsReportedWithAWarning() throws Exception {
    Registry registry = registry(NS, "fails", new RegistrySpec());
    registry.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(GcNames.TRIGGER_ANNOTATION, "x")));
    create(registry);
    Job job = await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(NS)
        .withLabel(GcNames.RUN_LABEL, "fails").list().getItems().stream().findFirst().orElse(null), j -> j != null);

    failWithoutReport(job);
    await().atMost(WAIT).untilAsserted(() -> assertThat(gcStatus("fails").getError())
        .contains("Job " + job.getMetadata().getName() + " failed", "BackoffLimitExceeded"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("GarbageCollectionFailed")));
  }

  @Test
  void aScheduleThatCannotWorkIsRefusedWithACondition() throws Exception {
    GarbageCollectionSpec gc = new GarbageCollectionSpec();
    gc.setSchedule("every night");
    gc.setGracePeriod("soon");
    RegistrySpec spec = new RegistrySpec();
    spec.setGarbageCollection(gc);
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(new EmptyDirStorage());
    spec.setStorage(storage);
    client.resource(registry(NS, "bad", spec)).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(status("bad").condition("Ready"))
        .map(Condition::getMessage).hasValueSatisfying(message -> assertThat(message)
            .contains("garbageCollection.schedule: 'every night'", "garbageCollection.gracePeriod: 'soon'",
                "garbageCollection needs persistent storage")));
    assertThat(client.batch().v1().cronjobs().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void onS3TheJobRunsAnywhereWithTheBucketCredentialsAndNoVolume() throws Exception {
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("bucket-keys").endMetadata()
        .addToStringData(Map.of("accessKey", "AKIA", "secretKey", "s3cr3t")).build()).create();
    GarbageCollectionSpec gc = new GarbageCollectionSpec();
    gc.setSchedule("0 3 * * *");
    RegistrySpec spec = new RegistrySpec();
    spec.setGarbageCollection(gc);
    spec.setServiceAccountName("registry-bucket");
    StorageSpec storage = new StorageSpec();
    dev.berth.operator.spec.S3Storage s3 = new dev.berth.operator.spec.S3Storage();
    s3.setBucket("images");
    s3.setRegion("eu-west-1");
    s3.setCredentialsSecret("bucket-keys");
    storage.setS3(s3);
    spec.setStorage(storage);
    client.resource(registry(NS, "on-s3", spec)).create();

    CronJob cron = await().atMost(WAIT)
        .until(() -> client.batch().v1().cronjobs().inNamespace(NS).withName("on-s3-gc").get(), c -> c != null);
    PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity()).as("no volume to be near").isNull();
    assertThat(pod.getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null);
    assertThat(pod.getServiceAccountName()).as("a pod identity (IRSA) works for the Job too").isEqualTo("registry-bucket");
    assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("REGISTRY_STORAGE_S3_ACCESSKEY");
      assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("bucket-keys");
      assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("accessKey");
    }).anySatisfy(env -> assertThat(env.getName()).isEqualTo("REGISTRY_STORAGE_S3_SECRETKEY"));
  }

  private void finish(Job job, String report) {
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "-abcde")
        .addToLabels("job-name", job.getMetadata().getName()).endMetadata()
        .withNewStatus().addNewContainerStatus().withName(GcNames.CONTAINER)
        .withNewState().withNewTerminated().withExitCode(0).withMessage(report).endTerminated().endState()
        .endContainerStatus().endStatus()
        .build()).create();
    setCondition(job, "Complete", null);
  }

  private void failWithoutReport(Job job) {
    setCondition(job, "Failed", "BackoffLimitExceeded");
  }

  private void setCondition(Job job, String type, String reason) {
    client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).editStatus(j -> {
      j.setStatus(new JobStatusBuilder().withConditions(List.of(new JobConditionBuilder().withType(type)
          .withStatus("True").withReason(reason).withLastTransitionTime("2026-12-03T03:00:10Z").build())).build());
      return j;
    });
  }

  private void create(Registry registry) throws Exception {
    assertThat(new CrdValidator(OperatorTestSupport.GENERATED_CRD).violations(CrdValidator.toTree(registry)))
        .isEmpty();
    client.resource(registry).create();
  }

  private Registry get(String name) {
    return client.resources(Registry.class).inNamespace(NS).withName(name).get();
  }

  /**
   * The Registry's status. Until the operator has written one this fails with an AssertionError, which Awaitility's
   * untilAsserted retries (a NullPointerException would end the wait at once, as it did on a busy machine).
   */
  private dev.berth.operator.status.RegistryStatus status(String name) {
    var status = get(name).getStatus();
    assertThat(status).as("status of Registry " + name).isNotNull();
    return status;
  }

  /** status.garbageCollection, retried in the same way until it is written. */
  private dev.berth.operator.status.GarbageCollectionStatus gcStatus(String name) {
    var gc = status(name).getGarbageCollection();
    assertThat(gc).as("status.garbageCollection of Registry " + name).isNotNull();
    return gc;
  }
}
