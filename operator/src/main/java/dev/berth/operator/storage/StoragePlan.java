package dev.berth.operator.storage;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.EmptyDirStorage;
import dev.berth.operator.spec.PersistentVolumeClaimStorage;
import dev.berth.operator.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/**
 * Where the registry's data lives, as the StatefulSet renders it: its claim templates, or the pod's data volume, or
 * nothing at all for S3, and what happens to claims when the StatefulSet goes.
 *
 * <p>S3 pods still run as a StatefulSet, without claim templates, rather than as a Deployment: one workload kind for
 * every storage keeps a change between existingClaim, emptyDir and s3 an in-place rolling update (a Deployment would
 * mean deleting one workload and creating another, with a gap or two owners of the same pods), keeps the headless
 * Service, the status and the pod diagnosis as they are, and gives pods stable names for logs. A StatefulSet rolls one
 * pod at a time and stops at a pod that does not become ready, which with several replicas and the
 * PodDisruptionBudget keeps the registry serving; scaling is parallel (podManagementPolicy Parallel).
 *
 * @param kind the kind of storage in effect
 * @param claimTemplates the StatefulSet's volumeClaimTemplates (only for storage.persistentVolumeClaim)
 * @param dataVolume the pod's data volume, when no claim template supplies it and the data is not in S3
 * @param whenDeleted the StatefulSet's claim retention on deletion: Delete or Retain
 */
public record StoragePlan(
    StorageSpec.StorageKind kind, List<PersistentVolumeClaim> claimTemplates, Optional<Volume> dataVolume,
    String whenDeleted) {
  /** Where the server keeps its data in the pod. */
  public static final String DATA_DIR = "/var/lib/registry";
  /** On the StatefulSet: the storage kind its pods were made for (so a change of kind can be told apart). */
  public static final String KIND_ANNOTATION = "berth.dev/storage";

  public static StoragePlan of(StorageSpec storage, RegistryNames names, Optional<StatefulSet> current) {
    String whenDeleted = storage.deletionPolicyOrDefault() == DeletionPolicy.Delete ? "Delete" : "Retain";
    StorageSpec.StorageKind kind = storage.kind();
    return switch (kind) {
      case CLAIM_TEMPLATE -> new StoragePlan(kind, claimTemplates(names, storage, current), Optional.empty(),
          whenDeleted);
      case S3 -> new StoragePlan(kind, List.of(), Optional.empty(), whenDeleted);
      case EXISTING_CLAIM -> new StoragePlan(kind, List.of(), Optional.of(new VolumeBuilder()
          .withName(RegistryNames.DATA_VOLUME)
          .withNewPersistentVolumeClaim()
          .withClaimName(storage.getExistingClaim())
          .endPersistentVolumeClaim()
          .build()), whenDeleted);
      case EMPTY_DIR -> {
        EmptyDirStorage emptyDir = storage.getEmptyDir();
        VolumeBuilder volume = new VolumeBuilder().withName(RegistryNames.DATA_VOLUME);
        if (emptyDir.getSizeLimit() != null) {
          volume.withNewEmptyDir().withSizeLimit(new Quantity(emptyDir.getSizeLimit())).endEmptyDir();
        } else {
          volume.withNewEmptyDir().endEmptyDir();
        }
        yield new StoragePlan(kind, List.of(), Optional.of(volume.build()), whenDeleted);
      }
    };
  }

  /** Whether the pods mount a data volume at {@link #DATA_DIR} (from a claim template or a volume). */
  public boolean mountsData() {
    return kind != StorageSpec.StorageKind.S3;
  }

  /**
   * A StatefulSet's claim templates cannot change after creation, so once it exists its templates are kept as they
   * are; size growth is applied to the claims themselves ({@link DataClaims}).
   */
  private static List<PersistentVolumeClaim> claimTemplates(
      RegistryNames names, StorageSpec storage, Optional<StatefulSet> actual) {
    if (actual.isPresent() && actual.get().getSpec() != null
        && actual.get().getSpec().getVolumeClaimTemplates() != null
        && !actual.get().getSpec().getVolumeClaimTemplates().isEmpty()) {
      return actual.get().getSpec().getVolumeClaimTemplates();
    }
    PersistentVolumeClaimStorage claim = storage.claimTemplateOrDefault();
    PersistentVolumeClaimBuilder template = new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(RegistryNames.DATA_VOLUME)
        .withLabels(names.labels())
        .endMetadata()
        .withNewSpec()
        .withAccessModes(claim.accessModesOrDefault())
        .withNewResources()
        .addToRequests("storage", new Quantity(claim.sizeOrDefault()))
        .endResources()
        .endSpec();
    if (claim.hasStorageClass()) {
      template.editSpec().withStorageClassName(claim.getStorageClassName()).endSpec();
    }
    return List.of(template.build());
  }
}
