package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Settings rendered into the server's config.yaml (see docs/configuration.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerSpec {

  @JsonPropertyDescription("Server log level (log.level): error, warn, info (default) or debug.")
  @Default("info")
  private LogLevel logLevel = LogLevel.info;

  @JsonPropertyDescription("Allow deleting manifests and blobs through the API (storage.delete.enabled). Default false.")
  @Default("false")
  private Boolean deleteEnabled = false;

  @JsonPropertyDescription("Serve pulls only and refuse pushes (storage.maintenance.readonly.enabled). Default false.")
  @Default("false")
  private Boolean readOnly = false;

  public LogLevel getLogLevel() {
    return logLevel;
  }

  public void setLogLevel(LogLevel logLevel) {
    this.logLevel = logLevel;
  }

  public Boolean getDeleteEnabled() {
    return deleteEnabled;
  }

  public void setDeleteEnabled(Boolean deleteEnabled) {
    this.deleteEnabled = deleteEnabled;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }

  public LogLevel logLevelOrDefault() {
    return logLevel == null ? LogLevel.info : logLevel;
  }

  public boolean deleteEnabledOrDefault() {
    return Boolean.TRUE.equals(deleteEnabled);
  }

  public boolean readOnlyOrDefault() {
    return Boolean.TRUE.equals(readOnly);
  }
}
