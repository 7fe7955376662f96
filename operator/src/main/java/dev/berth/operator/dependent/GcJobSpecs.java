package dev.berth.operator.dependent;

import dev.berth.operator.gc.GcNames;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.plan.ServerConfigRenderer;
import dev.berth.operator.spec.GarbageCollectionSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod of a collection Job: the registry image running {@code garbage-collect} with the pod's own config and
 * volumes, its JSON report written as the termination message (which the operator reads into status). On a volume
 * the data volume is the registry's claim: a ReadWriteOnce volume can be mounted by several pods on one node, so the
 * Job is scheduled next to a registry pod (pod affinity on the host name). On S3 it needs no volume and may run
 * anywhere, with the registry's bucket credentials (the same Secret, or the same ServiceAccount for a pod identity).
 * Collecting while the registry serves is safe (docs/gc.md).
 */
final class GcJobSpecs {
  static final String TERMINATION_LOG = "/dev/termination-log";

  private GcJobSpecs() {}

  static JobSpec job(Registry registry, RegistryPlan plan) {
    RegistryNames names = plan.names();
    RegistrySpec spec = registry.getSpec();
    GarbageCollectionSpec gc = spec.getGarbageCollection() == null ? new GarbageCollectionSpec()
        : spec.getGarbageCollection();
    List<String> args = new ArrayList<>(List.of("garbage-collect", "--report-file", TERMINATION_LOG, "--grace-period",
        gc.gracePeriodOrDefault()));
    if (Boolean.TRUE.equals(gc.getDeleteUntagged())) {
      args.add("--delete-untagged");
    }
    if (Boolean.TRUE.equals(gc.getDryRun())) {
      args.add("--dry-run");
    }
    args.add(ServerConfigRenderer.CONFIG_PATH);
    return new JobSpecBuilder()
        .withBackoffLimit(0) // the next schedule (or trigger) is the retry
        .withTtlSecondsAfterFinished(7 * 24 * 3600)
        .withTemplate(pod(spec, plan, args))
        .build();
  }

  private static PodTemplateSpec pod(RegistrySpec spec, RegistryPlan plan, List<String> args) {
    RegistryNames names = plan.names();
    List<Volume> volumes = new ArrayList<>(StatefulSetDependent.volumes(plan, spec));
    if (spec.storageOrDefault().kind() == StorageSpec.StorageKind.CLAIM_TEMPLATE) {
      volumes.add(new VolumeBuilder().withName(RegistryNames.DATA_VOLUME)
          .withNewPersistentVolumeClaim().withClaimName(names.claim(0)).endPersistentVolumeClaim().build());
    }
    boolean onVolume = spec.storageOrDefault().kind() != StorageSpec.StorageKind.S3;
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(GcNames.labels(names)).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(spec.getServiceAccountName())
        .withSecurityContext(StatefulSetDependent.podSecurity())
        .withEnableServiceLinks(false)
        .withAffinity(onVolume ? besideTheRegistry(names) : null)
        .withContainers(new ContainerBuilder()
            .withName(GcNames.CONTAINER)
            .withImage(plan.registryImage())
            .withImagePullPolicy("IfNotPresent")
            .withArgs(args)
            .withEnv(StatefulSetDependent.orNull(StatefulSetDependent.s3Credentials(spec)))
            .withTerminationMessagePath(TERMINATION_LOG)
            .withTerminationMessagePolicy("File")
            .withResources(StatefulSetDependent.resources(spec.getResources()))
            .withSecurityContext(StatefulSetDependent.containerSecurity())
            .withVolumeMounts(StatefulSetDependent.mounts(spec, plan.storage()))
            .build())
        .withVolumes(volumes)
        .endSpec()
        .build();
  }

  /** On the node of a registry pod, where its ReadWriteOnce claim is mounted. */
  private static Affinity besideTheRegistry(RegistryNames names) {
    return new AffinityBuilder().withNewPodAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNewLabelSelector().withMatchLabels(names.selectorLabels()).endLabelSelector()
        .withTopologyKey("kubernetes.io/hostname")
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAffinity().build();
  }
}
