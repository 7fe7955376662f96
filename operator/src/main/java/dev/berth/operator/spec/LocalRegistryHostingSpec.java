package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * Discovery through the {@code local-registry-hosting} ConfigMap in {@code kube-public} (KEP-1755), which tools such as
 * Tilt and Skaffold read. One per cluster: the first Registry to publish it keeps it until it is deleted or stops.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalRegistryHostingSpec {

  @JsonPropertyDescription("Publish kube-public/local-registry-hosting while node access is on. Default true. Only one"
      + " Registry holds it: a ConfigMap that another Registry (or anything else) published is left alone.")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("The host:port developers push to from their machines (the KEP's host), e.g. a"
      + " LoadBalancer's name. Default: the registry's cluster name.")
  @Pattern("^[^\\s/]+$")
  private String host;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public boolean enabledOrDefault() {
    return enabled == null || enabled;
  }
}
