package dev.berth.operator.plan;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.NodeAccessState.Phase;
import dev.berth.operator.tls.RegistryTrust;
import dev.berth.operator.nodeaccess.InvalidPlanException;
import dev.berth.operator.nodeaccess.NodeAgentHostMounts;
import dev.berth.operator.nodeaccess.NodeReports;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.nodeaccess.NodeReport;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.NodesStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, per reconcile, where node access stands: the plan to publish, whether the agents should run, and what
 * the nodes' reports say (status.nodes, the NodesConfigured condition). Turning node access off (or deleting the
 * Registry) first publishes a disabled plan and keeps the DaemonSet until every node that reported has reported
 * {@code removed} for it, or {@link #REMOVAL_TIMEOUT} passed.
 */
public final class NodeAccess {
  private NodeAccess() {}

  /** How long agents get to remove what they added before the DaemonSet goes anyway. */
  public static final Duration REMOVAL_TIMEOUT = Duration.ofMinutes(5);
  /** How often an active Registry is looked at again anyway: nodes come and go, a user's CA may change. */
  public static final Duration RESYNC = Duration.ofMinutes(5);
  private static final int NAMES_IN_MESSAGES = 10;

  /**
   * What this reconcile does about node access.
   *
   * @param state for the dependents
   * @param condition NodesConfigured, absent when node access is off
   * @param nodes status.nodes, absent when node access is off or waits for the Service
   * @param event a removal that just ended (normal) or timed out (warning)
   */
  public record Decision(
      NodeAccessState state, Optional<ConditionState> condition, Optional<NodesStatus> nodes,
      Optional<RemovalEvent> event) {}

  /** An Event to record on the Registry. */
  public record RemovalEvent(boolean warning, String reason, String message) {}

  /** The node access decision of a reconcile, from what was observed and the registry's trust. */
  public static Decision decide(Observation seen, Optional<RegistryTrust> trust) {
    Registry registry = seen.registry();
    RegistryNames names = RegistryNames.of(registry);
    NodeAccessSpec spec = registry.getSpec().nodeAccessOrDefault();
    Optional<ConfigMap> plan = seen.configMap(names.nodeAccessPlan());
    Map<String, NodeReport> reports = NodeReports.read(seen.configMap(names.nodeReports()).orElse(null));
    if (!spec.enabledOrDefault()) {
      if (!seen.nodeAgentRunning()) {
        return new Decision(NodeAccessState.off(), Optional.empty(), Optional.empty(), Optional.empty());
      }
      return removal(names, plan, reports, seen);
    }
    Optional<String> clusterIp = seen.clusterIp();
    if (clusterIp.isEmpty() || trust.isEmpty()) {
      return waiting(plan, clusterIp.isEmpty()
          ? "the node access plan needs the ClusterIP of Service " + names.clientService()
          : "the node access plan needs the registry's CA (ca.crt of " + RegistryTrust.source(registry) + ")");
    }
    String planJson;
    try {
      planJson = NodeAccessPlanRenderer.enabled(registry, clusterIp.get(), trust.get()).toJson();
    } catch (InvalidPlanException e) {
      // e.g. a user's TLS Secret whose ca.crt is no certificate: say so, keep what the nodes have
      Decision kept = waiting(plan, "");
      return new Decision(kept.state(), Optional.of(ConditionState.isFalse(ConditionType.NODES_CONFIGURED,
          "InvalidPlan", "no node access plan can be made: " + e.getMessage())), Optional.empty(), Optional.empty());
    }
    List<String> selected = NodeSelection.select(seen.nodes(), spec.nodeSelectorOrEmpty(), spec.tolerationsOrEmpty())
        .stream().map(n -> n.getMetadata().getName()).toList();
    NodeReportSummary summary = NodeReportSummary.of(selected, reports, names.registryId(), hash(planJson));
    return new Decision(new NodeAccessState(Phase.ACTIVE, planJson, null), Optional.of(configured(summary)),
        Optional.of(new NodesStatus(summary.done().size(), summary.total())), Optional.empty());
  }

  /**
   * For the Registry's deletion: the disabled plan the agents must see (with the removal's start) while they run and
   * the published plan does not say so yet; the caller publishes it, since no workflow runs any more.
   */
  public static Optional<ConfigMap> disabledPlanToPublish(Observation seen) {
    RegistryNames names = RegistryNames.of(seen.registry());
    Optional<ConfigMap> plan = seen.configMap(names.nodeAccessPlan());
    String disabled = NodeAccessPlanRenderer.disabled(names).toJson();
    if (!seen.nodeAgentRunning() || plan.isEmpty() || disabled.equals(planData(plan.get()))) {
      return Optional.empty();
    }
    return Optional.of(new ConfigMapBuilder(plan.get())
        .editMetadata().addToAnnotations(NodeAccessState.DISABLED_SINCE_ANNOTATION, now(seen).toString()).endMetadata()
        .addToData(NodeAccessPlanRenderer.PLAN_KEY, disabled)
        .build());
  }

  /**
   * For the Registry's deletion, once the disabled plan is published: whether the agents' removal is still under way.
   * The DaemonSet itself goes with the Registry (owner reference) once this says done.
   *
   * @param plan the plan ConfigMap as published now
   */
  public static Decision cleanup(Observation seen, Optional<ConfigMap> plan) {
    RegistryNames names = RegistryNames.of(seen.registry());
    if (!seen.nodeAgentRunning() || plan.isEmpty()) {
      return new Decision(NodeAccessState.off(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    Map<String, NodeReport> reports = NodeReports.read(seen.configMap(names.nodeReports()).orElse(null));
    return removal(names, plan, reports, seen);
  }

  /** An existing plan is kept (agents keep their configuration), none is made. */
  private static Decision waiting(Optional<ConfigMap> plan, String why) {
    String kept = plan.map(NodeAccess::planData).filter(json -> !json.isEmpty()).orElse(null);
    return new Decision(new NodeAccessState(Phase.WAITING, kept, null),
        Optional.of(ConditionState.unknown(ConditionType.NODES_CONFIGURED, "Waiting", why)),
        Optional.empty(), Optional.empty());
  }

  private static Decision removal(
      RegistryNames names, Optional<ConfigMap> plan, Map<String, NodeReport> reports, Observation seen) {
    String disabled = NodeAccessPlanRenderer.disabled(names).toJson();
    Instant now = now(seen);
    Instant since = plan.filter(cm -> disabled.equals(planData(cm)))
        .map(cm -> cm.getMetadata().getAnnotations() == null
            ? null : cm.getMetadata().getAnnotations().get(NodeAccessState.DISABLED_SINCE_ANNOTATION))
        .flatMap(NodeAccess::instant)
        .orElse(now);
    // nodes whose agent ever reported may hold files; nodes that are gone hold nothing any more
    List<String> reporting = seen.nodes().stream().map(n -> n.getMetadata().getName()).filter(reports::containsKey).toList();
    NodeReportSummary summary = NodeReportSummary.of(reporting, reports, names.registryId(), hash(disabled));
    if (summary.complete()) {
      return new Decision(NodeAccessState.off(), Optional.empty(), Optional.empty(), Optional.of(new RemovalEvent(
          false, "NodeAccessRemoved", summary.total() + " node(s) removed the node access configuration;"
              + " the node agent DaemonSet is deleted")));
    }
    String pending = pendingRemoval(summary);
    if (!now.isBefore(since.plus(REMOVAL_TIMEOUT))) {
      return new Decision(NodeAccessState.off(), Optional.empty(), Optional.empty(), Optional.of(new RemovalEvent(
          true, "NodeAccessRemovalTimedOut", "after " + REMOVAL_TIMEOUT.toMinutes() + " minutes " + pending
              + "; the node agent DaemonSet is deleted anyway: clean those nodes by hand (see their"
              + " " + NodeAgentHostMounts.stateDir(names.namespace(), names.name()) + "/state.json)")));
    }
    return new Decision(new NodeAccessState(Phase.REMOVING, disabled, since),
        Optional.of(ConditionState.isFalse(ConditionType.NODES_CONFIGURED, "Removing",
            "node access is off: " + summary.done().size() + "/" + summary.total()
                + " node(s) removed the configuration; " + pending)),
        Optional.of(new NodesStatus(summary.total() - summary.done().size(), summary.total())), Optional.empty());
  }

  private static String pendingRemoval(NodeReportSummary summary) {
    StringBuilder message = new StringBuilder();
    if (!summary.failed().isEmpty()) {
      message.append("could not remove on ").append(NodeReportSummary.reasons(summary.failed(), NAMES_IN_MESSAGES));
    }
    if (!summary.waiting().isEmpty()) {
      message.append(message.length() == 0 ? "" : "; ").append("no report of the removal from ")
          .append(NodeReportSummary.names(summary.waiting(), NAMES_IN_MESSAGES));
    }
    return message.toString();
  }

  private static ConditionState configured(NodeReportSummary summary) {
    String count = summary.done().size() + "/" + summary.total() + " node(s) configured";
    if (summary.total() == 0) {
      return ConditionState.isFalse(ConditionType.NODES_CONFIGURED, "NoMatchingNodes",
          "no node matches spec.nodeAccess.nodeSelector with taints the agent tolerates");
    }
    if (!summary.failed().isEmpty()) {
      return ConditionState.isFalse(ConditionType.NODES_CONFIGURED, "NodesFailed",
          count + "; failed: " + NodeReportSummary.reasons(summary.failed(), NAMES_IN_MESSAGES)
              + (summary.waiting().isEmpty() ? "" : "; waiting for "
                  + NodeReportSummary.names(summary.waiting(), NAMES_IN_MESSAGES)));
    }
    if (!summary.waiting().isEmpty()) {
      return ConditionState.isFalse(ConditionType.NODES_CONFIGURED, "Progressing",
          count + "; waiting for " + NodeReportSummary.names(summary.waiting(), NAMES_IN_MESSAGES));
    }
    return ConditionState.isTrue(ConditionType.NODES_CONFIGURED, "AllNodesConfigured",
        count + (summary.restartPending().isEmpty() ? "" : "; restart pending on "
            + NodeReportSummary.reasons(summary.restartPending(), NAMES_IN_MESSAGES)));
  }

  private static Instant now(Observation seen) {
    return seen.now().truncatedTo(ChronoUnit.SECONDS);
  }

  static String hash(String planJson) {
    return ServerConfigRenderer.hash(planJson);
  }

  private static String planData(ConfigMap configMap) {
    return configMap.getData() == null ? null : configMap.getData().get(NodeAccessPlanRenderer.PLAN_KEY);
  }

  private static Optional<Instant> instant(String value) {
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // a hand edit: the removal's clock starts again
    }
  }
}
