package dev.berth.operator.dependent;

import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Precondition of every node access dependent: they exist while the plan's node access state wants agents; when it
 * turns false the workflow deletes them, the DaemonSet first (it depends on the others).
 */
public class NodeAgentsWanted implements Condition<Object, Registry> {
  @Override
  public boolean isMet(
      DependentResource<Object, Registry> dependentResource, Registry primary, Context<Registry> context) {
    return RegistryPlan.of(context).nodeAccessState().agentsWanted();
  }
}
