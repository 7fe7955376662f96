package dev.berth.operator.dependent;

import dev.berth.operator.observe.MonitoringApis;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The activation condition of the ServiceMonitor and the PrometheusRule: only where the Prometheus Operator's CRDs
 * are installed does JOSDK watch, make or delete them at all. A reconcile decides from its plan; the clean-up on
 * deletion has none and asks the API server.
 */
public class MonitoringApisPresent implements Condition<HasMetadata, Registry> {
  @Override
  public boolean isMet(DependentResource<HasMetadata, Registry> dependent, Registry registry,
      Context<Registry> context) {
    return context.managedWorkflowAndDependentResourceContext().get(RegistryPlan.class, RegistryPlan.class)
        .map(plan -> plan.monitoring().apisPresent())
        .orElseGet(() -> MonitoringApis.read(context.getClient()).present());
  }
}
