package dev.berth.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which nodes the node agent DaemonSet runs on: those with the nodeSelector's labels whose NoSchedule and NoExecute
 * taints the agent tolerates. Taints under {@code node.kubernetes.io/} count as tolerated: the DaemonSet controller
 * adds tolerations for them (not-ready, unreachable, pressure, unschedulable) to every DaemonSet pod.
 */
public final class NodeSelection {
  private static final String DAEMONSET_TOLERATED = "node.kubernetes.io/";

  private NodeSelection() {}

  public static List<Node> select(List<Node> nodes, Map<String, String> nodeSelector, List<Toleration> tolerations) {
    return nodes.stream()
        .filter(node -> hasLabels(node, nodeSelector))
        .filter(node -> tolerates(node, tolerations))
        .toList();
  }

  static boolean hasLabels(Node node, Map<String, String> selector) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static boolean tolerates(Node node, List<Toleration> tolerations) {
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of()
        : node.getSpec().getTaints();
    return taints.stream()
        .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
        .filter(t -> t.getKey() == null || !t.getKey().startsWith(DAEMONSET_TOLERATED))
        .allMatch(t -> tolerations.stream().anyMatch(tol -> matches(tol, t)));
  }

  /** The API's toleration semantics: empty key with Exists matches every taint; empty effect matches every effect. */
  static boolean matches(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
        && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(toleration.getOperator());
    if (toleration.getKey() == null || toleration.getKey().isEmpty()) {
      return exists;
    }
    if (!toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists || Objects.equals(emptyToNull(toleration.getValue()), emptyToNull(taint.getValue()));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
