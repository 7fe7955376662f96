package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectionTest {
  static final Taint CONTROL_PLANE = taint("node-role.kubernetes.io/control-plane", null, "NoSchedule");

  @Test
  void selectsByEveryLabelOfTheSelector() {
    List<Node> nodes = List.of(
        node("a", Map.of("pool", "build", "zone", "x")),
        node("b", Map.of("pool", "build")),
        node("c", Map.of()));
    assertThat(names(NodeSelection.select(nodes, Map.of("pool", "build", "zone", "x"), List.of())))
        .containsExactly("a");
    assertThat(names(NodeSelection.select(nodes, Map.of(), List.of()))).containsExactly("a", "b", "c");
  }

  @Test
  void schedulingTaintsNeedAToleration() {
    Node control = node("control", Map.of(), CONTROL_PLANE);
    Node soft = node("soft", Map.of(), taint("team", "a", "PreferNoSchedule"));
    Node daemonSetOnly = node("cordoned", Map.of(), taint("node.kubernetes.io/unschedulable", null, "NoSchedule"));
    List<Node> nodes = List.of(control, soft, daemonSetOnly);
    assertThat(names(NodeSelection.select(nodes, Map.of(), List.of()))).containsExactly("soft", "cordoned");
    assertThat(names(NodeSelection.select(nodes, Map.of(),
        List.of(toleration("node-role.kubernetes.io/control-plane", "Exists", null, "NoSchedule")))))
        .containsExactly("control", "soft", "cordoned");
  }

  @Test
  void tolerationMatchingFollowsTheApi() {
    Taint dedicated = taint("dedicated", "gpu", "NoExecute");
    assertThat(NodeSelection.matches(toleration(null, "Exists", null, null), dedicated)).isTrue();
    assertThat(NodeSelection.matches(toleration("dedicated", "Equal", "gpu", null), dedicated)).isTrue();
    assertThat(NodeSelection.matches(toleration("dedicated", null, "gpu", "NoExecute"), dedicated)).isTrue();
    assertThat(NodeSelection.matches(toleration("dedicated", "Equal", "cpu", null), dedicated)).isFalse();
    assertThat(NodeSelection.matches(toleration("dedicated", "Exists", null, "NoSchedule"), dedicated)).isFalse();
    assertThat(NodeSelection.matches(toleration(null, "Equal", "gpu", null), dedicated)).isFalse();
  }

  private static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(taints).endSpec().build();
  }

  private static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  private static Toleration toleration(String key, String operator, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect).build();
  }

  private static List<String> names(List<Node> nodes) {
    return nodes.stream().map(n -> n.getMetadata().getName()).toList();
  }
}
