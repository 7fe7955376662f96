package dev.berth.operator.dependent;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The PodDisruptionBudget exists while the Registry asks for more than one replica; scaled back, it goes. */
public class SeveralReplicas implements Condition<PodDisruptionBudget, Registry> {
  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, Registry> dependent, Registry registry, Context<Registry> context) {
    return registry.getSpec().replicasOrDefault() > 1;
  }
}
