package dev.berth.operator.reconciler;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.plan.NodeAccess;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.status.ConditionList;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.RegistryStatus;
import dev.berth.operator.tls.TlsState;
import io.fabric8.kubernetes.api.model.Condition;
import dev.berth.operator.gc.GcNames;
import dev.berth.operator.gc.GcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status step: turns the observation, the verdict and what applying found into the conditions (Ready first) and
 * status. Pure: it reads nothing and writes nothing.
 */
final class StatusAggregator {
  /**
   * The status of a reconcile.
   *
   * @param conditions this reconcile's conditions, Ready first
   * @param status the status to patch
   * @param tls TLSReady and renewal as they stand
   */
  record Report(List<ConditionState> conditions, RegistryStatus status, TlsState tls) {
    boolean ready() {
      return conditions.get(0).isTrue();
    }
  }

  private final ConditionList conditionList;

  StatusAggregator(ConditionList conditionList) {
    this.conditionList = conditionList;
  }

  /**
   * For a reconcile the verdict blocked: its conditions, then the other conditions as they were, since nothing was
   * changed (the node agents, say, still run). Keeping them also keeps the list from shrinking while an informer may
   * still hold the longer one, against which a status patch's positional removal would fail.
   */
  Report blocked(Observation seen, Validator.Verdict verdict) {
    List<ConditionState> conditions = new ArrayList<>(verdict.blocking());
    RegistryStatus previous = seen.registry().getStatus();
    if (previous != null && previous.getConditions() != null) {
      previous.getConditions().stream()
          .filter(c -> verdict.blocking().stream().noneMatch(b -> b.type().equals(c.getType())))
          .forEach(c -> conditions.add(new ConditionState(c.getType(), c.getStatus(), c.getReason(), c.getMessage())));
    }
    return report(seen, conditions, verdict.tls(), Optional.empty(), false);
  }

  /** For a reconcile whose workflow ran. */
  Report applied(Observation seen, Validator.Verdict verdict, RegistryPlan plan, Apply.Outcome outcome) {
    return applied(seen, verdict, plan, outcome, List.of());
  }

  /** As above, with what the operator found of the pull-through cache's upstreams. */
  Report applied(Observation seen, Validator.Verdict verdict, RegistryPlan plan, Apply.Outcome outcome,
      List<dev.berth.operator.status.UpstreamStatus> upstreams) {
    Registry registry = seen.registry();
    int replicas = registry.getSpec().replicasOrDefault();
    TlsState tls = plan.selfSigned()
        .map(certificates -> TlsState.selfSigned(plan.names(), certificates, seen.now()))
        .orElse(verdict.tls());
    ConditionState ready = readiness(replicas, seen.readyReplicas(), outcome);
    if (ready.isTrue() && tls.condition().isPresent() && !tls.condition().get().isTrue()) {
      ready = ConditionState.isFalse(ConditionType.READY, "TLSNotReady", tls.condition().get().message());
    }
    List<ConditionState> conditions = new ArrayList<>();
    conditions.add(ready);
    conditions.add(outcome.storage());
    tls.condition().ifPresent(conditions::add);
    plan.nodeAccess().condition().ifPresent(conditions::add);
    verdict.auth().condition().ifPresent(conditions::add);
    dev.berth.operator.proxy.UpstreamProbe.condition(upstreams).ifPresent(conditions::add);
    plan.monitoring().condition().ifPresent(conditions::add);
    Report report = report(seen, conditions, tls, Optional.of(plan.nodeAccess()), true);
    report.status().setUpstreams(upstreams.isEmpty() ? null : List.copyOf(upstreams));
    return report;
  }

  /** A failed reconcile's status and its Ready condition. */
  record Failure(RegistryStatus status, ConditionState ready) {}

  /** For a reconcile that failed: Ready says why, the other conditions stay as they were. */
  Failure failed(Registry registry, String message) {
    RegistryStatus previous = registry.getStatus();
    List<Condition> oldConditions = previous == null ? List.of() : previous.getConditions();
    List<ConditionState> states = new ArrayList<>();
    states.add(ConditionState.isFalse(ConditionType.READY, "ReconcileFailed", message));
    oldConditions.stream()
        .filter(c -> !ConditionType.READY.equals(c.getType()))
        .forEach(c -> states.add(new ConditionState(c.getType(), c.getStatus(), c.getReason(), c.getMessage())));
    RegistryStatus next = new RegistryStatus();
    next.setObservedGeneration(registry.getMetadata().getGeneration());
    next.setConditions(conditionList.merge(oldConditions, states, generation(registry)));
    if (previous != null) {
      next.setReadyReplicas(previous.getReadyReplicas());
      next.setEndpoint(previous.getEndpoint());
      next.setTls(previous.getTls());
      next.setNodes(previous.getNodes());
      next.setGarbageCollection(previous.getGarbageCollection());
      next.setUpstreams(previous.getUpstreams());
    }
    return new Failure(next, states.get(0));
  }

  private Report report(Observation seen, List<ConditionState> conditions, TlsState tls,
      Optional<NodeAccess.Decision> nodeAccess, boolean workflowRan) {
    Registry registry = seen.registry();
    RegistryStatus previous = registry.getStatus();
    RegistryStatus next = new RegistryStatus();
    next.setObservedGeneration(registry.getMetadata().getGeneration());
    next.setConditions(conditionList.merge(
        previous == null ? null : previous.getConditions(), conditions, generation(registry)));
    next.setReadyReplicas(seen.readyReplicas());
    next.setEndpoint(RegistryNames.of(registry).endpoint(registry.getSpec().serviceOrDefault().portOrDefault()));
    next.setTls(tls.status());
    next.setNodes(nodeAccess.flatMap(NodeAccess.Decision::nodes).orElse(null));
    // the workflow made the trigger's Job in this reconcile only when it ran
    next.setGarbageCollection(GcStatus.next(previous == null ? null : previous.getGarbageCollection(), seen.gcRun(),
        workflowRan ? GcNames.trigger(registry) : Optional.empty()));
    return new Report(List.copyOf(conditions), next, tls);
  }

  private static ConditionState readiness(int replicas, int readyReplicas, Apply.Outcome outcome) {
    if (!outcome.storage().isTrue()) {
      return ConditionState.isFalse(ConditionType.READY, "StorageNotReady", outcome.storage().message());
    }
    if (replicas == 0) {
      return ConditionState.isFalse(ConditionType.READY, "ScaledToZero", "spec.replicas is 0: no pod serves");
    }
    if (readyReplicas >= replicas) {
      return ConditionState.isTrue(ConditionType.READY, "AllReplicasReady",
          readyReplicas + "/" + replicas + " replicas ready");
    }
    return outcome.podProblem().orElse(ConditionState.isFalse(ConditionType.READY, "Progressing",
        readyReplicas + "/" + replicas + " replicas ready"));
  }

  private static long generation(Registry registry) {
    Long generation = registry.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }
}
