package dev.berth.operator.dependent;

import dev.berth.operator.spec.Registry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The CronJob exists while spec.garbageCollection has a schedule; otherwise the workflow deletes it. */
public class GcScheduled implements Condition<Object, Registry> {
  @Override
  public boolean isMet(DependentResource<Object, Registry> dependentResource, Registry primary, Context<Registry> context) {
    return primary.getSpec().getGarbageCollection() != null && primary.getSpec().getGarbageCollection().scheduled();
  }
}
