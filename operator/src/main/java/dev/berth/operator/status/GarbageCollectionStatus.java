package dev.berth.operator.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last finished garbage collection, as its Job reported it (the command's JSON report). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GarbageCollectionStatus {
  @JsonPropertyDescription("The Job of the last finished run.")
  private String lastJob;
  @JsonPropertyDescription("When the last finished run started (RFC 3339).")
  private String lastStart;
  @JsonPropertyDescription("When it finished.")
  private String lastCompletion;
  private Long blobsDeleted;
  private Long manifestsDeleted;
  private Long bytesFreed;
  @JsonPropertyDescription("Why the run failed or was incomplete; absent when it completed.")
  private String error;
  @JsonPropertyDescription("The last berth.dev/gc-trigger value a Job was made for.")
  private String lastTrigger;

  public String getLastJob() {
    return lastJob;
  }

  public void setLastJob(String lastJob) {
    this.lastJob = lastJob;
  }

  public String getLastStart() {
    return lastStart;
  }

  public void setLastStart(String lastStart) {
    this.lastStart = lastStart;
  }

  public String getLastCompletion() {
    return lastCompletion;
  }

  public void setLastCompletion(String lastCompletion) {
    this.lastCompletion = lastCompletion;
  }

  public Long getBlobsDeleted() {
    return blobsDeleted;
  }

  public void setBlobsDeleted(Long blobsDeleted) {
    this.blobsDeleted = blobsDeleted;
  }

  public Long getManifestsDeleted() {
    return manifestsDeleted;
  }

  public void setManifestsDeleted(Long manifestsDeleted) {
    this.manifestsDeleted = manifestsDeleted;
  }

  public Long getBytesFreed() {
    return bytesFreed;
  }

  public void setBytesFreed(Long bytesFreed) {
    this.bytesFreed = bytesFreed;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  public String getLastTrigger() {
    return lastTrigger;
  }

  public void setLastTrigger(String lastTrigger) {
    this.lastTrigger = lastTrigger;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GarbageCollectionStatus other && Objects.equals(lastJob, other.lastJob)
        && Objects.equals(lastStart, other.lastStart) && Objects.equals(lastCompletion, other.lastCompletion)
        && Objects.equals(blobsDeleted, other.blobsDeleted) && Objects.equals(manifestsDeleted, other.manifestsDeleted)
        && Objects.equals(bytesFreed, other.bytesFreed) && Objects.equals(error, other.error)
        && Objects.equals(lastTrigger, other.lastTrigger);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastJob, lastStart, lastCompletion, blobsDeleted, manifestsDeleted, bytesFreed, error,
        lastTrigger);
  }
}
