package dev.berth.operator.dependent;

import dev.berth.operator.gc.GcNames;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The scheduled collection: a CronJob on spec.garbageCollection.schedule, one run at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class GcCronJobDependent extends CRUDKubernetesDependentResource<CronJob, Registry> {
  public GcCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    RegistryNames names = plan.names();
    var gc = registry.getSpec().getGarbageCollection();
    // desired() also names the CronJob the workflow deletes once the schedule is gone; its schedule is moot then
    String schedule = gc != null && gc.scheduled() ? gc.getSchedule().strip() : "@daily";
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(GcNames.cronJob(names))
        .withNamespace(names.namespace())
        .withLabels(GcNames.labels(names))
        .endMetadata()
        .withNewSpec()
        .withSchedule(schedule)
        .withConcurrencyPolicy("Forbid")
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(3)
        .withNewJobTemplate()
        .withNewMetadata().withLabels(GcNames.labels(names)).endMetadata()
        .withSpec(GcJobSpecs.job(registry, plan))
        .endJobTemplate()
        .endSpec()
        .build();
  }
}
