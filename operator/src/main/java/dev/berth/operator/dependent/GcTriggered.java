package dev.berth.operator.dependent;

import dev.berth.operator.gc.GcNames;
import dev.berth.operator.spec.Registry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** An on-demand Job is made while the Registry carries the berth.dev/gc-trigger annotation. */
public class GcTriggered implements Condition<Object, Registry> {
  @Override
  public boolean isMet(DependentResource<Object, Registry> dependentResource, Registry primary, Context<Registry> context) {
    // with emptyDir storage a Job would collect its own empty volume; SpecRules refuses a schedule there
    return GcNames.trigger(primary).isPresent()
        && primary.getSpec().storageOrDefault().kind() != dev.berth.operator.spec.StorageSpec.StorageKind.EMPTY_DIR;
  }
}
