package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Garbage collection while the registry serves: a CronJob runs the server's {@code garbage-collect} command on the
 * registry's storage on {@code schedule}; the annotation {@code berth.dev/gc-trigger} runs one now (docs/gc.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GarbageCollectionSpec {
  @JsonPropertyDescription("Cron schedule (five fields, the cluster's time zone, as a CronJob), e.g. \"0 3 * * *\"."
      + " Empty: only on demand, through the berth.dev/gc-trigger annotation.")
  private String schedule;

  @JsonPropertyDescription("Nothing younger than this is deleted (a blob whose manifest is not pushed yet). A duration"
      + " like 1h or 90m. Default 1h.")
  private String gracePeriod;

  @JsonPropertyDescription("Also delete manifests no tag reaches (index children and referrers of kept images stay)."
      + " Default false.")
  private Boolean deleteUntagged;

  @JsonPropertyDescription("Report what would be deleted, delete nothing. Default false.")
  private Boolean dryRun;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  public Boolean getDeleteUntagged() {
    return deleteUntagged;
  }

  public void setDeleteUntagged(Boolean deleteUntagged) {
    this.deleteUntagged = deleteUntagged;
  }

  public Boolean getDryRun() {
    return dryRun;
  }

  public void setDryRun(Boolean dryRun) {
    this.dryRun = dryRun;
  }

  public String gracePeriodOrDefault() {
    return gracePeriod == null || gracePeriod.isBlank() ? "1h" : gracePeriod.strip();
  }

  public boolean scheduled() {
    return schedule != null && !schedule.isBlank();
  }
}
