package dev.berth.operator.nodeaccess;

import java.time.Instant;
import java.util.List;

/**
 * What the agent on one node reports for one Registry: per runtime, configured or why not. The operator counts nodes
 * whose runtimes are all {@link RuntimeOutcome#configured()} and names the others in the NodesConfigured condition.
 *
 * @param node     the Kubernetes node name
 * @param registry {@code <namespace>/<name>}
 * @param planHash sha256 of the plan file the report is about ("" when the plan is absent)
 * @param enabled  whether the plan asked for node access (false: the report is about removal)
 * @param error    a problem with the plan itself (e.g. invalid JSON), else empty
 */
public record NodeReport(
    String node, String registry, String planHash, boolean enabled, List<RuntimeReport> runtimes, String error,
    Instant time) {
  public NodeReport {
    runtimes = List.copyOf(runtimes);
    error = error == null ? "" : error;
  }

  /** True when the plan was usable and every runtime is configured (or, when disabled, cleaned up). */
  public boolean ok() {
    return error.isEmpty() && runtimes.stream().allMatch(runtime -> enabled
        ? runtime.outcome().configured() : runtime.outcome() == RuntimeOutcome.REMOVED);
  }

  /** The same report without its timestamp, to tell whether anything worth publishing changed. */
  public boolean sameAs(NodeReport other) {
    return other != null && node.equals(other.node) && registry.equals(other.registry)
        && planHash.equals(other.planHash) && enabled == other.enabled && runtimes.equals(other.runtimes)
        && error.equals(other.error);
  }
}
