package dev.berth.operator.observe;

import dev.berth.operator.gc.GcNames;
import dev.berth.operator.gc.GcRun;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The collection Jobs of a Registry, scheduled (made by its CronJob) or on demand, found by their
 * {@link GcNames#RUN_LABEL}: one informer on that label reconciles the Registry when a run starts or ends, and the
 * observe step reads the newest finished run's termination message from its pod.
 */
public final class GarbageCollectionRuns {
  public static final String EVENT_SOURCE = "garbage-collection-jobs";

  private GarbageCollectionRuns() {}

  public static InformerEventSource<Job, Registry> eventSource(EventSourceContext<Registry> context) {
    var configuration = InformerEventSourceConfiguration.from(Job.class, Registry.class)
        .withName(EVENT_SOURCE)
        .withLabelSelector(GcNames.RUN_LABEL)
        .withSecondaryToPrimaryMapper((Job job) -> Set.of(new ResourceID(
            job.getMetadata().getLabels().get(GcNames.RUN_LABEL), job.getMetadata().getNamespace())))
        .withPrimaryToSecondaryMapper((Registry registry) -> Set.of())
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The newest finished run, or empty (no run yet, or none finished). */
  static Optional<GcRun> newestFinished(Registry registry, KubernetesClient client) {
    String namespace = registry.getMetadata().getNamespace();
    List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(GcNames.RUN_LABEL, registry.getMetadata().getName()).list().getItems();
    Optional<Job> newest = jobs.stream()
        .filter(job -> finishedCondition(job).isPresent())
        .max(Comparator.comparing((Job job) -> finishedCondition(job).map(JobCondition::getLastTransitionTime)
            .orElse("")).thenComparing(job -> job.getMetadata().getName()));
    return newest.map(job -> {
      JobCondition finished = finishedCondition(job).orElseThrow();
      boolean succeeded = finished.getType().equals("Complete");
      Optional<String> report = client.pods().inNamespace(namespace).withLabel("job-name", job.getMetadata().getName())
          .list().getItems().stream()
          .map(GarbageCollectionRuns::terminationMessage)
          .flatMap(Optional::stream)
          .findFirst();
      Optional<String> failure = succeeded ? Optional.empty()
          : Optional.of(Objects.requireNonNullElse(finished.getMessage(), Objects.requireNonNullElse(finished.getReason(),
              "failed")));
      return new GcRun(job.getMetadata().getName(), succeeded, report, failure);
    });
  }

  private static Optional<JobCondition> finishedCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())))
        .findFirst();
  }

  private static Optional<String> terminationMessage(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(status -> GcNames.CONTAINER.equals(status.getName()))
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getTerminated() != null)
        .map(state -> state.getTerminated().getMessage())
        .filter(message -> message != null && !message.isBlank())
        .findFirst();
  }
}
