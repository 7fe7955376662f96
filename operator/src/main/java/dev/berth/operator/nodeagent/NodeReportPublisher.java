package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeReport;

/** Where the agent's per-node reports go (a ConfigMap the operator reads, a Lease, a log in tests). */
public interface NodeReportPublisher {
  /** Publishes the node's latest report; throwing makes the agent retry on its next pass. */
  void publish(NodeReport report);
}
