package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Connection caps: at the cap the longest-idle connection is closed first, else the newcomer gets 503. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpLimitsSpec {

  @JsonPropertyDescription("Open connections at most. 0 (default): derived from the pod's file descriptor limit.")
  @Min(0)
  private Integer connections;

  @JsonPropertyDescription("Open connections per client address at most, answered 429 beyond it. 0 (default): off;"
      + " behind a Service many pods may share one address.")
  @Min(0)
  private Integer connectionsPerClient;

  public Integer getConnections() {
    return connections;
  }

  public void setConnections(Integer connections) {
    this.connections = connections;
  }

  public Integer getConnectionsPerClient() {
    return connectionsPerClient;
  }

  public void setConnectionsPerClient(Integer connectionsPerClient) {
    this.connectionsPerClient = connectionsPerClient;
  }
}
