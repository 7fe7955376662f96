package dev.berth.operator.plan;

import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agents' reports judged against the plan the operator publishes now: a report about an older plan (another
 * hash) means the node has not caught up yet.
 *
 * @param total the nodes considered
 * @param done nodes that applied the current plan (configured, or removed when it is a disabled plan)
 * @param failed node → why, for nodes whose agent reported a problem with the current plan
 * @param waiting nodes with no report on the current plan yet
 * @param restartPending node → what to restart, among {@code done}
 */
public record NodeReportSummary(
    int total, List<String> done, Map<String, String> failed, List<String> waiting,
    Map<String, String> restartPending) {

  /** Judges the reports of {@code nodes} (names) against the plan with this hash. */
  public static NodeReportSummary of(
      Collection<String> nodes, Map<String, NodeReport> reports, String registryId, String planHash) {
    List<String> done = new ArrayList<>();
    Map<String, String> failed = new TreeMap<>();
    List<String> waiting = new ArrayList<>();
    Map<String, String> restartPending = new TreeMap<>();
    for (String node : nodes.stream().sorted().toList()) {
      NodeReport report = reports.get(node);
      if (report == null || !registryId.equals(report.registry()) || !planHash.equals(report.planHash())) {
        waiting.add(node);
      } else if (report.ok()) {
        done.add(node);
        String pending = describe(report.runtimes(), RuntimeOutcome.RESTART_PENDING);
        if (!pending.isEmpty()) {
          restartPending.put(node, pending);
        }
      } else {
        failed.put(node, report.error().isEmpty()
            ? describe(report.runtimes(), report.enabled() ? RuntimeOutcome.FAILED : null)
            : report.error());
      }
    }
    return new NodeReportSummary(nodes.size(), List.copyOf(done), failed, List.copyOf(waiting), restartPending);
  }

  /** "runtime: message" for the runtimes with this outcome (null: every runtime not removed). */
  private static String describe(List<RuntimeReport> runtimes, RuntimeOutcome outcome) {
    List<String> parts = new ArrayList<>();
    for (RuntimeReport runtime : runtimes) {
      boolean selected = outcome == null
          ? runtime.outcome() != RuntimeOutcome.REMOVED
          : runtime.outcome() == outcome;
      if (selected) {
        parts.add(runtime.runtime().id() + " " + runtime.outcome().id()
            + (runtime.message().isEmpty() ? "" : ": " + runtime.message()));
      }
    }
    return String.join(", ", parts);
  }

  public boolean complete() {
    return done.size() == total;
  }

  /** At most {@code limit} names, then how many more: keeps condition messages readable on big clusters. */
  static String names(Collection<String> names, int limit) {
    List<String> list = List.copyOf(names);
    if (list.size() <= limit) {
      return String.join(", ", list);
    }
    return String.join(", ", list.subList(0, limit)) + " and " + (list.size() - limit) + " more";
  }

  static String reasons(Map<String, String> byNode, int limit) {
    List<String> parts = new ArrayList<>();
    byNode.forEach((node, why) -> parts.add(node + " (" + why + ")"));
    return names(parts, limit);
  }
}
