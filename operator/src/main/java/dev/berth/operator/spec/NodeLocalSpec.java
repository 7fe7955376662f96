package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The opt-in node-local endpoint for Docker nodes: each agent pod forwards {@code localhost:<port>} on its node to the
 * registry Service, so images are pulled as {@code localhost:<port>/app:1}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeLocalSpec {
  public static final int DEFAULT_PORT = 5000;

  @JsonPropertyDescription("Listen on hostPort 127.0.0.1:<port> of every selected node and forward to the registry."
      + " Default false. Trade-offs: image references use localhost:<port> instead of the cluster name, every pull"
      + " crosses the agent pod, and the port is taken on every node.")
  @Default("false")
  private Boolean enabled = false;

  @JsonPropertyDescription("The node port to listen on, 1024-65535 (the agent has no capability to bind lower ones)."
      + " Default 5000.")
  @Default("5000")
  @Min(1024)
  @Max(65535)
  private Integer port = DEFAULT_PORT;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public boolean enabledOrDefault() {
    return Boolean.TRUE.equals(enabled);
  }

  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }
}
