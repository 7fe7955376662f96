package dev.berth.operator.plan;

import dev.berth.operator.observe.MonitoringApis;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.spec.MetricsSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import java.util.Optional;

/**
 * The ServiceMonitor and PrometheusRule decision: wanted by spec.metrics.serviceMonitor, possible where the
 * Prometheus Operator's CRDs are installed. A cluster without them is no error: the condition says so and the rest
 * of the Registry is made as usual.
 *
 * @param wanted spec.metrics.enabled and .serviceMonitor
 * @param apis what the cluster has; empty when it was not asked (nothing wanted and nothing made before)
 */
public record MonitoringPlan(boolean wanted, Optional<MonitoringApis> apis) {
  public static MonitoringPlan decide(Observation seen) {
    MetricsSpec metrics = seen.registry().getSpec().metricsOrDefault();
    return new MonitoringPlan(metrics.enabledOrDefault() && metrics.serviceMonitorOrDefault(), seen.monitoring());
  }

  /** Whether the workflow may touch the two objects at all (JOSDK's activation condition). */
  public boolean apisPresent() {
    return apis.map(MonitoringApis::present).orElse(false);
  }

  /** MonitoringReady while spec.metrics.serviceMonitor is on; nothing otherwise. */
  public Optional<ConditionState> condition() {
    if (!wanted) {
      return Optional.empty();
    }
    if (apisPresent()) {
      return Optional.of(ConditionState.isTrue(ConditionType.MONITORING_READY, "Rendered",
          "ServiceMonitor and PrometheusRule made for the metrics port"));
    }
    String missing = apis.map(a -> String.join(" and ", a.missing())).orElse("their CRDs");
    return Optional.of(ConditionState.isFalse(ConditionType.MONITORING_READY, "PrometheusOperatorMissing",
        "spec.metrics.serviceMonitor is on, but the cluster lacks " + missing + " (the Prometheus Operator's CRDs):"
            + " no ServiceMonitor or PrometheusRule made; they are made once the CRDs are installed"));
  }
}
