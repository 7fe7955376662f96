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
 * Where the registry's data lives, as the StatefulSet renders it: its claim templates, or the pod's data volume, and
 * what happens to claims when the StatefulSet goes.
 *
 * @param claimTemplates the StatefulSet's volumeClaimTemplates (only for storage.persistentVolumeClaim)
 * @param dataVolume the pod's data volume, when no claim template supplies it
 * @param whenDeleted the StatefulSet's claim retention on deletion: Delete or Retain
 */
public record StoragePlan(List<PersistentVolumeClaim> claimTemplates, Optional<Volume> dataVolume, String whenDeleted) {
  /** Where the server keeps its data in the pod. */
  public static final String DATA_DIR = "/var/lib/registry";

  public static StoragePlan of(StorageSpec storage, RegistryNames names, Optional<StatefulSet> current) {
    String whenDeleted = storage.deletionPolicyOrDefault() == DeletionPolicy.Delete ? "Delete" : "Retain";
    return switch (storage.kind()) {
      case CLAIM_TEMPLATE -> new StoragePlan(claimTemplates(names, storage, current), Optional.empty(), whenDeleted);
      case EXISTING_CLAIM -> new StoragePlan(List.of(), Optional.of(new VolumeBuilder()
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
        yield new StoragePlan(List.of(), Optional.of(volume.build()), whenDeleted);
      }
    };
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
