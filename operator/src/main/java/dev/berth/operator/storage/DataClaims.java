package dev.berth.operator.storage;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.PersistentVolumeClaimStorage;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claims holding a Registry's data: looks them up to decide StorageReady, grows them when the spec's size grows
 * (claim templates are immutable, the claims are not), and deletes them on cleanup when asked to.
 */
public final class DataClaims {
  static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

  private final KubernetesClient client;

  public DataClaims(KubernetesClient client) {
    this.client = client;
  }

  /** StorageReady for an existing claim, before anything else is made (a missing claim blocks everything). */
  public static ConditionState existingClaimState(String claimName, Optional<PersistentVolumeClaim> claim) {
    if (claim.isEmpty()) {
      return ConditionState.isFalse(ConditionType.STORAGE_READY, "ClaimNotFound",
          "PersistentVolumeClaim " + claimName + " (storage.existingClaim) does not exist in this namespace");
    }
    return phaseState(claim.get());
  }

  /** StorageReady for the Registry's current storage; grows template claims whose size the spec raised. */
  public ConditionState check(Registry registry, int replicas, Optional<PersistentVolumeClaim> existingClaim) {
    StorageSpec storage = registry.getSpec().storageOrDefault();
    return switch (storage.kind()) {
      case EMPTY_DIR -> ConditionState.isTrue(ConditionType.STORAGE_READY, "EmptyDir",
          "data lives in an emptyDir and is lost when a pod goes away");
      case EXISTING_CLAIM -> existingClaimState(storage.getExistingClaim(), existingClaim);
      case CLAIM_TEMPLATE -> checkTemplateClaims(registry, storage.claimTemplateOrDefault(), replicas);
      case S3 -> throw new IllegalArgumentException("storage.s3 has no claims: S3StorageState decides StorageReady");
    };
  }

  private ConditionState checkTemplateClaims(Registry registry, PersistentVolumeClaimStorage template, int replicas) {
    RegistryNames names = RegistryNames.of(registry);
    if (template.hasStorageClass()
        && client.storage().v1().storageClasses().withName(template.getStorageClassName()).get() == null) {
      return ConditionState.isFalse(ConditionType.STORAGE_READY, "StorageClassNotFound",
          "StorageClass " + template.getStorageClassName() + " (storage.persistentVolumeClaim.storageClassName)"
              + " does not exist");
    }
    if (replicas == 0) {
      return ConditionState.isTrue(ConditionType.STORAGE_READY, "ScaledToZero", "no replicas, no claims in use");
    }
    BigDecimal wanted = Quantity.getAmountInBytes(new Quantity(template.sizeOrDefault()));
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      String claimName = names.claim(i);
      PersistentVolumeClaim claim =
          client.persistentVolumeClaims().inNamespace(names.namespace()).withName(claimName).get();
      if (claim == null) {
        missing.add(claimName);
        continue;
      }
      ConditionState phase = phaseState(claim);
      if (!phase.isTrue()) {
        return noDefaultClass(template).orElse(phase);
      }
      Optional<ConditionState> resize = resize(claim, template, wanted);
      if (resize.isPresent()) {
        return resize.get();
      }
    }
    if (!missing.isEmpty()) {
      return noDefaultClass(template).orElse(ConditionState.isFalse(ConditionType.STORAGE_READY, "ClaimsNotCreated",
          "waiting for the StatefulSet to create PersistentVolumeClaim " + String.join(", ", missing)));
    }
    return ConditionState.isTrue(ConditionType.STORAGE_READY, "ClaimsBound",
        replicas + " PersistentVolumeClaim(s) of " + template.sizeOrDefault() + " bound");
  }

  private static ConditionState phaseState(PersistentVolumeClaim claim) {
    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    String name = claim.getMetadata().getName();
    if ("Bound".equals(phase)) {
      return ConditionState.isTrue(ConditionType.STORAGE_READY, "ClaimsBound",
          "PersistentVolumeClaim " + name + " is bound");
    }
    if ("Lost".equals(phase)) {
      return ConditionState.isFalse(ConditionType.STORAGE_READY, "ClaimLost",
          "PersistentVolumeClaim " + name + " lost its volume");
    }
    return ConditionState.isFalse(ConditionType.STORAGE_READY, "ClaimPending",
        "PersistentVolumeClaim " + name + " is " + (phase == null ? "not yet bound" : phase)
            + "; see kubectl describe pvc " + name);
  }

  /** A pending claim without a class in a cluster without a default class never binds: say so. */
  private Optional<ConditionState> noDefaultClass(PersistentVolumeClaimStorage template) {
    if (template.hasStorageClass()) {
      return Optional.empty();
    }
    boolean anyDefault = client.storage().v1().storageClasses().list().getItems().stream()
        .anyMatch(sc -> sc.getMetadata().getAnnotations() != null
            && "true".equals(sc.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION)));
    if (anyDefault) {
      return Optional.empty();
    }
    return Optional.of(ConditionState.isFalse(ConditionType.STORAGE_READY, "NoDefaultStorageClass",
        "the cluster has no default StorageClass: set storage.persistentVolumeClaim.storageClassName"));
  }

  private Optional<ConditionState> resize(
      PersistentVolumeClaim claim, PersistentVolumeClaimStorage template, BigDecimal wanted) {
    Quantity requested = claim.getSpec().getResources() == null
        || claim.getSpec().getResources().getRequests() == null
        ? null
        : claim.getSpec().getResources().getRequests().get("storage");
    if (requested == null) {
      return Optional.empty();
    }
    int cmp = wanted.compareTo(Quantity.getAmountInBytes(requested));
    String name = claim.getMetadata().getName();
    if (cmp < 0) {
      return Optional.of(ConditionState.isFalse(ConditionType.STORAGE_READY, "ShrinkNotSupported",
          "PersistentVolumeClaim " + name + " requests " + requested + "; claims cannot shrink to "
              + template.sizeOrDefault()));
    }
    if (cmp == 0) {
      return Optional.empty();
    }
    String className = claim.getSpec().getStorageClassName();
    StorageClass storageClass =
        className == null ? null : client.storage().v1().storageClasses().withName(className).get();
    if (storageClass == null || !Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
      return Optional.of(ConditionState.isFalse(ConditionType.STORAGE_READY, "ExpansionNotSupported",
          "StorageClass " + className + " of PersistentVolumeClaim " + name
              + " does not allow volume expansion; it stays at " + requested));
    }
    String patch = "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + template.sizeOrDefault() + "\"}}}}";
    client.persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    // the volume keeps serving while it grows
    return Optional.of(ConditionState.isTrue(ConditionType.STORAGE_READY, "Expanding",
        "PersistentVolumeClaim " + name + " is growing from " + requested + " to " + template.sizeOrDefault()));
  }

  /** An Event to record on the Registry. */
  public record Note(String reason, String text) {}

  /**
   * The deletion policy, applied when the Registry goes: deletionPolicy Delete deletes the claims the StatefulSet
   * made; otherwise claims are kept (an existingClaim always is). Returns what to tell the user.
   */
  public Optional<Note> onRegistryDeleted(Registry registry) {
    StorageSpec storage = registry.getSpec().storageOrDefault();
    if (storage.kind() == StorageSpec.StorageKind.CLAIM_TEMPLATE
        && storage.deletionPolicyOrDefault() == DeletionPolicy.Delete) {
      List<String> deleted = deleteTemplateClaims(registry);
      return deleted.isEmpty()
          ? Optional.empty()
          : Optional.of(new Note("ClaimsDeleted", "deletionPolicy Delete: deleted " + String.join(", ", deleted)));
    }
    if (storage.kind() == StorageSpec.StorageKind.S3) {
      return Optional.of(new Note("BucketRetained", "bucket " + storage.getS3().getBucket()
          + " keeps the registry's data: the operator never deletes objects"));
    }
    if (storage.kind() != StorageSpec.StorageKind.EMPTY_DIR) {
      return Optional.of(new Note("ClaimsRetained", "deletionPolicy Retain: the data claims are kept"));
    }
    return Optional.empty();
  }

  /** Deletes the claims the StatefulSet made for this Registry; returns their names. */
  private List<String> deleteTemplateClaims(Registry registry) {
    RegistryNames names = RegistryNames.of(registry);
    List<PersistentVolumeClaim> claims = client.persistentVolumeClaims()
        .inNamespace(names.namespace())
        .withLabelSelector(names.claimSelector())
        .list()
        .getItems();
    List<String> deleted = new ArrayList<>();
    for (PersistentVolumeClaim claim : claims) {
      if (claim.getMetadata().getName().startsWith(RegistryNames.DATA_VOLUME + "-" + names.statefulSet() + "-")) {
        client.resource(claim).delete();
        deleted.add(claim.getMetadata().getName());
      }
    }
    return deleted;
  }
}
