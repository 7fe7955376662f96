package dev.berth.operator.reconciler;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds why registry pods are not ready (image pulls, crash loops, scheduling) to tell the user in Ready's message. */
public final class PodDiagnosis {
  private static final Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");
  private static final Set<String> CONTAINER_FAILING =
      Set.of("CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private final KubernetesClient client;

  public PodDiagnosis(KubernetesClient client) {
    this.client = client;
  }

  public Optional<ConditionState> problem(RegistryNames names) {
    List<Pod> pods = client.pods()
        .inNamespace(names.namespace())
        .withLabels(names.selectorLabels())
        .list()
        .getItems();
    for (Pod pod : pods) {
      Optional<ConditionState> problem = problem(pod);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  static Optional<ConditionState> problem(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    String podName = pod.getMetadata().getName();
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses() == null
        ? List.of()
        : pod.getStatus().getContainerStatuses();
    for (ContainerStatus status : statuses) {
      if (status.getState() == null || status.getState().getWaiting() == null) {
        continue;
      }
      String reason = status.getState().getWaiting().getReason();
      String detail = Optional.ofNullable(status.getState().getWaiting().getMessage()).orElse("");
      String message = "pod " + podName + ": " + reason + (detail.isEmpty() ? "" : ": " + detail);
      if (IMAGE_PULL.contains(reason)) {
        return Optional.of(ConditionState.isFalse(ConditionType.READY, "ImagePullFailed",
            message + " (image " + status.getImage() + ")"));
      }
      if (CONTAINER_FAILING.contains(reason)) {
        return Optional.of(ConditionState.isFalse(ConditionType.READY, "ContainerFailing", message));
      }
    }
    List<PodCondition> conditions = pod.getStatus().getConditions() == null
        ? List.of()
        : pod.getStatus().getConditions();
    for (PodCondition condition : conditions) {
      if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
          && "Unschedulable".equals(condition.getReason())) {
        return Optional.of(ConditionState.isFalse(ConditionType.READY, "Unschedulable",
            "pod " + podName + " cannot be scheduled: " + condition.getMessage()));
      }
    }
    return Optional.empty();
  }
}
