package dev.berth.operator.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One upstream of the pull-through cache, as the operator last reached it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpstreamStatus {

  @JsonPropertyDescription("The upstream's name (spec.proxy.upstreams[].name).")
  private String name;

  @JsonPropertyDescription("The registry host it stands for, as nodes mirror it.")
  private String host;

  @JsonPropertyDescription("Whether its /v2/ answered (any status below 500, 401 included) at the last check.")
  private Boolean reachable;

  @JsonPropertyDescription("Why the last check failed; absent while it is reachable.")
  private String lastError;

  @JsonPropertyDescription("Since when it has been reachable or not (RFC 3339).")
  private String since;

  public UpstreamStatus() {}

  public UpstreamStatus(String name, String host, boolean reachable, String lastError, String since) {
    this.name = name;
    this.host = host;
    this.reachable = reachable;
    this.lastError = lastError;
    this.since = since;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Boolean getReachable() {
    return reachable;
  }

  public void setReachable(Boolean reachable) {
    this.reachable = reachable;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpstreamStatus s && Objects.equals(name, s.name) && Objects.equals(host, s.host)
        && Objects.equals(reachable, s.reachable) && Objects.equals(lastError, s.lastError)
        && Objects.equals(since, s.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, host, reachable, lastError, since);
  }
}
