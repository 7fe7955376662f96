package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.nodeaccess.Runtime;
import dev.berth.operator.nodeaccess.RuntimeOutcome;
import dev.berth.operator.nodeaccess.RuntimeReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReportSummaryTest {
  static final String ID = "team/main";

  @Test
  void onlyReportsAboutTheCurrentPlanCount() {
    Map<String, NodeReport> reports = Map.of(
        "a", report("a", "h1", true, RuntimeOutcome.CONFIGURED, ""),
        "b", report("b", "h0", true, RuntimeOutcome.CONFIGURED, ""), // an older plan
        "c", report("c", "h1", true, RuntimeOutcome.FAILED, "config_path is not set"),
        "d", report("d", "h1", true, RuntimeOutcome.RESTART_PENDING, "restart k3s"),
        "e", new NodeReport("e", ID, "h1", true, List.of(), "invalid plan: caPem", Instant.EPOCH));
    NodeReportSummary summary = NodeReportSummary.of(List.of("e", "d", "c", "b", "a", "f"), reports, ID, "h1");
    assertThat(summary.total()).isEqualTo(6);
    assertThat(summary.done()).containsExactly("a", "d");
    assertThat(summary.waiting()).containsExactly("b", "f");
    assertThat(summary.failed()).containsExactly(
        Map.entry("c", "containerd failed: config_path is not set"),
        Map.entry("e", "invalid plan: caPem"));
    assertThat(summary.restartPending()).containsExactly(Map.entry("d", "containerd restart-pending: restart k3s"));
    assertThat(summary.complete()).isFalse();
  }

  @Test
  void aRemovalIsDoneOnlyWhenEveryRuntimeReportsRemoved() {
    Map<String, NodeReport> reports = Map.of(
        "a", report("a", "off", false, RuntimeOutcome.REMOVED, "reload docker to forget it"),
        "b", report("b", "off", false, RuntimeOutcome.FAILED, "hosts.toml was edited by hand; left in place"));
    NodeReportSummary summary = NodeReportSummary.of(List.of("a", "b"), reports, ID, "off");
    assertThat(summary.done()).containsExactly("a");
    assertThat(summary.failed()).containsEntry("b", "containerd failed: hosts.toml was edited by hand; left in place");
    assertThat(NodeReportSummary.of(List.of("a"), reports, ID, "off").complete()).isTrue();
    assertThat(NodeReportSummary.of(List.of(), reports, ID, "off").complete()).isTrue();
  }

  @Test
  void longListsAreCut() {
    assertThat(NodeReportSummary.names(List.of("a", "b", "c", "d"), 2)).isEqualTo("a, b and 2 more");
    assertThat(NodeReportSummary.names(List.of("a", "b"), 2)).isEqualTo("a, b");
  }

  private static NodeReport report(String node, String hash, boolean enabled, RuntimeOutcome outcome, String message) {
    return new NodeReport(node, ID, hash, enabled, List.of(new RuntimeReport(Runtime.CONTAINERD, outcome, message)),
        "", Instant.EPOCH);
  }
}
