package dev.berth.operator.reconciler;

import dev.berth.operator.plan.NodeAccess;
import dev.berth.operator.plan.NodeAccessState;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/** The requeue policy: when to reconcile again without an event. */
final class LookAgain {
  private LookAgain() {}

  /**
   * A Registry that is not ready (or whose nodes are not settled) is looked at every {@code recheck}; a ready one
   * when its certificate is due for renewal; one with active node access at least every {@link NodeAccess#RESYNC},
   * since nodes are not watched; one waiting for the Prometheus Operator's CRDs every {@code recheck}.
   */
  static Optional<Duration> after(
      StatusAggregator.Report report, Optional<NodeAccess.Decision> nodeAccess, Duration recheck) {
    boolean nodesSettled = nodeAccess.flatMap(NodeAccess.Decision::condition).map(ConditionState::isTrue).orElse(true);
    Optional<Duration> next = report.ready() && nodesSettled ? report.tls().renewIn() : Optional.of(recheck);
    if (nodeAccess.map(a -> a.state().phase() == NodeAccessState.Phase.ACTIVE).orElse(false)) {
      next = Optional.of(next.filter(d -> d.compareTo(NodeAccess.RESYNC) < 0).orElse(NodeAccess.RESYNC));
    }
    if (report.status().getUpstreams() != null) {
      // upstreams are not watched: their status is refreshed by looking again
      Duration probe = dev.berth.operator.proxy.UpstreamProbe.INTERVAL;
      next = Optional.of(next.filter(d -> d.compareTo(probe) < 0).orElse(probe));
    }
    boolean monitoringWaits = report.conditions().stream()
        .anyMatch(c -> ConditionType.MONITORING_READY.equals(c.type()) && !c.isTrue());
    if (monitoringWaits) {
      // CRDs are not watched: the Prometheus Operator's are noticed by looking again
      next = Optional.of(next.filter(d -> d.compareTo(recheck) < 0).orElse(recheck));
    }
    return next;
  }
}
