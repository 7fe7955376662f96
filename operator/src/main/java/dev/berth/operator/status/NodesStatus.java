package dev.berth.operator.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * How many of the selected nodes pull from the registry by its cluster name; while node access is being removed, how
 * many of the nodes that had reported still hold its configuration.
 */
public class NodesStatus {

  @JsonPropertyDescription("Selected nodes whose agent applied the current plan to every runtime (restart-pending"
      + " counts: the files are in place). While node access is being removed: nodes not yet cleaned.")
  private Integer configured;

  @JsonPropertyDescription("Nodes matching spec.nodeAccess.nodeSelector whose taints the agent tolerates. While node"
      + " access is being removed: the nodes whose agent had reported.")
  private Integer total;

  public NodesStatus() {}

  public NodesStatus(int configured, int total) {
    this.configured = configured;
    this.total = total;
  }

  public Integer getConfigured() {
    return configured;
  }

  public void setConfigured(Integer configured) {
    this.configured = configured;
  }

  public Integer getTotal() {
    return total;
  }

  public void setTotal(Integer total) {
    this.total = total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodesStatus n && Objects.equals(configured, n.configured) && Objects.equals(total, n.total);
  }

  @Override
  public int hashCode() {
    return Objects.hash(configured, total);
  }
}
