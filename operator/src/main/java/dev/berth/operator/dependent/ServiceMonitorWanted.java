package dev.berth.operator.dependent;

import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The ServiceMonitor and PrometheusRule exist while spec.metrics.serviceMonitor is on; turned off, they go. */
public class ServiceMonitorWanted implements Condition<HasMetadata, Registry> {
  @Override
  public boolean isMet(DependentResource<HasMetadata, Registry> dependent, Registry registry,
      Context<Registry> context) {
    return RegistryPlan.of(context).monitoring().wanted();
  }
}
