package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One kind of storage (claim template, existing claim, emptyDir or an S3 bucket) and the deletion policy. Exactly one
 * kind is in effect: at most one may be set, and none set means the default claim template.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.persistentVolumeClaim), has(self.existingClaim), has(self.emptyDir), has(self.s3)]"
        + ".filter(x, x).size() <= 1",
    message = "storage: set at most one of persistentVolumeClaim, existingClaim, emptyDir, s3")
@ValidationRule(
    value = "!has(self.existingClaim) || !has(self.deletionPolicy) || self.deletionPolicy == 'Retain'",
    message = "storage.deletionPolicy Delete applies to claims the operator creates; an existingClaim is never deleted",
    fieldPath = ".deletionPolicy")
@ValidationRule(
    value = "!has(self.s3) || !has(self.deletionPolicy) || self.deletionPolicy == 'Retain'",
    message = "storage.deletionPolicy Delete applies to claims the operator creates; a bucket is never emptied",
    fieldPath = ".deletionPolicy")
public class StorageSpec {

  @JsonPropertyDescription("A claim per replica, made by the StatefulSet from this template. This is the default when"
      + " no kind of storage is set.")
  private PersistentVolumeClaimStorage persistentVolumeClaim;

  @JsonPropertyDescription("Name of an existing PersistentVolumeClaim in the Registry's namespace to serve, e.g. a"
      + " registry:2 volume (same on-disk layout). Needed, as ReadWriteMany, for replicas > 1.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(min = 1, max = 253)
  private String existingClaim;

  @JsonPropertyDescription("Throwaway storage that lives as long as the pod: for tests and caches.")
  private EmptyDirStorage emptyDir;

  @JsonPropertyDescription("An S3 bucket (AWS or S3-compatible): no volume at all, so any number of replicas can"
      + " share it.")
  private S3Storage s3;

  @JsonPropertyDescription("What deleting the Registry does to claims the operator created: Retain (default) keeps them"
      + " and their data, Delete removes them. A bucket is never emptied.")
  @Default("Retain")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  public PersistentVolumeClaimStorage getPersistentVolumeClaim() {
    return persistentVolumeClaim;
  }

  public void setPersistentVolumeClaim(PersistentVolumeClaimStorage persistentVolumeClaim) {
    this.persistentVolumeClaim = persistentVolumeClaim;
  }

  public String getExistingClaim() {
    return existingClaim;
  }

  public void setExistingClaim(String existingClaim) {
    this.existingClaim = existingClaim;
  }

  public EmptyDirStorage getEmptyDir() {
    return emptyDir;
  }

  public void setEmptyDir(EmptyDirStorage emptyDir) {
    this.emptyDir = emptyDir;
  }

  public S3Storage getS3() {
    return s3;
  }

  public void setS3(S3Storage s3) {
    this.s3 = s3;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  /** The kind in effect: a claim template unless another kind is set. */
  public StorageKind kind() {
    if (existingClaim != null) {
      return StorageKind.EXISTING_CLAIM;
    }
    if (emptyDir != null) {
      return StorageKind.EMPTY_DIR;
    }
    if (s3 != null) {
      return StorageKind.S3;
    }
    return StorageKind.CLAIM_TEMPLATE;
  }

  /** Number of kinds set; more than one is refused (the CRD's CEL rule says so too). */
  public int kindsSet() {
    return (persistentVolumeClaim != null ? 1 : 0) + (existingClaim != null ? 1 : 0) + (emptyDir != null ? 1 : 0)
        + (s3 != null ? 1 : 0);
  }

  public PersistentVolumeClaimStorage claimTemplateOrDefault() {
    return persistentVolumeClaim == null ? new PersistentVolumeClaimStorage() : persistentVolumeClaim;
  }

  public DeletionPolicy deletionPolicyOrDefault() {
    return deletionPolicy == null ? DeletionPolicy.Retain : deletionPolicy;
  }

  public enum StorageKind {
    CLAIM_TEMPLATE,
    EXISTING_CLAIM,
    EMPTY_DIR,
    S3;

    /** Whether every replica sees the same data, so more than one may run (a claim only if ReadWriteMany). */
    public boolean shareable() {
      return this == EXISTING_CLAIM || this == S3;
    }

    /** The spec's name for this kind, as users write it. */
    public String field() {
      return switch (this) {
        case CLAIM_TEMPLATE -> "persistentVolumeClaim";
        case EXISTING_CLAIM -> "existingClaim";
        case EMPTY_DIR -> "emptyDir";
        case S3 -> "s3";
      };
    }
  }
}
