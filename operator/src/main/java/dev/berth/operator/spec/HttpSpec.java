package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Connection timeouts and limits of the registry server (http.timeouts, http.limits in its config.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpSpec {

  @JsonPropertyDescription("Inactivity timeouts; a slow but live client is never cut. Unset keys keep the server's"
      + " defaults.")
  private HttpTimeoutsSpec timeouts;

  @JsonPropertyDescription("Connection caps. Unset keys keep the server's defaults.")
  private HttpLimitsSpec limits;

  public HttpTimeoutsSpec getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(HttpTimeoutsSpec timeouts) {
    this.timeouts = timeouts;
  }

  public HttpLimitsSpec getLimits() {
    return limits;
  }

  public void setLimits(HttpLimitsSpec limits) {
    this.limits = limits;
  }
}
