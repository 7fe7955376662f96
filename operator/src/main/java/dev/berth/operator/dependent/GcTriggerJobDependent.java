package dev.berth.operator.dependent;

import dev.berth.operator.gc.GcNames;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The on-demand collection: one Job per value of the berth.dev/gc-trigger annotation, created once and never
 * updated (a Job's pod template is immutable); finished Jobs expire by their TTL.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class GcTriggerJobDependent extends KubernetesDependentResource<Job, Registry> implements Creator<Job, Registry> {
  public GcTriggerJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    RegistryNames names = plan.names();
    String trigger = GcNames.trigger(registry).orElseThrow();
    return new JobBuilder()
        .withNewMetadata()
        .withName(GcNames.triggerJob(names, trigger))
        .withNamespace(names.namespace())
        .withLabels(GcNames.labels(names))
        .addToAnnotations(GcNames.TRIGGER_ANNOTATION, trigger)
        .endMetadata()
        .withSpec(GcJobSpecs.job(registry, plan))
        .build();
  }
}
