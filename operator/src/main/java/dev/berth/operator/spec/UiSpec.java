package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The registry server's web UI at /ui/ (ui.enabled in its config.yaml); off by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UiSpec {
  @JsonPropertyDescription("Serve the web UI at /ui/ and its JSON API under /v2/_berth/, on the registry's own port,"
      + " with the same users and access rules as the v2 API. Default false.")
  @Default("false")
  private Boolean enabled = false;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  /** Enabled with the schema default applied (objects built in code skip the API server's defaulting). */
  public boolean enabledOrDefault() {
    return Boolean.TRUE.equals(enabled);
  }
}
