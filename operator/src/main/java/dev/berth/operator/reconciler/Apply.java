package dev.berth.operator.reconciler;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.nodeaccess.NodeReports;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.plan.NodeAccess;
import dev.berth.operator.plan.NodeAccessPlanRenderer;
import dev.berth.operator.plan.NodeAccessState;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.storage.DataClaims;
import dev.berth.operator.storage.StoragePlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply step: hands the plan to the workflow and runs it (the dependents write), then does the side effects that
 * are no dependent's: growing data claims, the node access Events, kube-public/local-registry-hosting, and the look at
 * the pods when replicas are not ready; on deletion, the disabled plan the agents follow.
 */
final class Apply {
  private static final Logger LOG = LoggerFactory.getLogger(Apply.class);

  /**
   * What applying found.
   *
   * @param storage StorageReady after the claims were looked at (and grown)
   * @param podProblem why a registry pod is not ready, when one is not
   */
  record Outcome(ConditionState storage, Optional<ConditionState> podProblem) {}

  private final RegistryEvents events;

  Apply(RegistryEvents events) {
    this.events = events;
  }

  Outcome apply(RegistryPlan plan, Observation seen, Validator.Verdict verdict, Context<Registry> context) {
    Registry registry = seen.registry();
    plan.handTo(context);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    var client = context.getClient();
    int replicas = registry.getSpec().replicasOrDefault();
    // a bucket was judged before applying (a failing one blocks); claims are looked at (and grown) now
    ConditionState storage = verdict.s3()
        .orElseGet(() -> new DataClaims(client).check(registry, replicas, seen.existingClaim()));
    storageSwitch(seen, plan).ifPresent(text -> events.warning(registry, "StorageSwitched", text));
    plan.nodeAccess().event().ifPresent(e -> events.record(registry, e));
    discovery(registry, plan.nodeAccessState(), new LocalRegistryHosting(client));
    Optional<ConditionState> podProblem = storage.isTrue() && replicas > 0 && seen.readyReplicas() < replicas
        ? new PodDiagnosis(client).problem(plan.names())
        : Optional.empty();
    return new Outcome(storage, podProblem);
  }

  /**
   * A change between the kinds without claim templates (existingClaim, emptyDir, s3) rolls the pods onto the new
   * storage; nothing is copied. Says so once, when the StatefulSet still records the old kind.
   */
  private static Optional<String> storageSwitch(Observation seen, RegistryPlan plan) {
    Optional<String> before = seen.statefulSet()
        .map(sts -> sts.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(StoragePlan.KIND_ANNOTATION));
    String now = plan.storage().kind().field();
    return before.filter(old -> !old.equals(now)).map(old -> "storage changed from " + old + " to " + now
        + ": the pods roll onto the new storage and serve what it holds; nothing is copied from " + old
        + ", which is kept as it is");
  }

  /** Publishes kube-public/local-registry-hosting while node access is active, takes it back when it is not. */
  private static void discovery(Registry registry, NodeAccessState state, LocalRegistryHosting discovery) {
    boolean wanted = registry.getSpec().nodeAccessOrDefault().localRegistryHostingOrDefault().enabledOrDefault();
    if (state.phase() == NodeAccessState.Phase.ACTIVE && wanted) {
      if (discovery.publish(registry) == LocalRegistryHosting.Outcome.HELD_ELSEWHERE) {
        LOG.debug("Registry {}: {}/{} is held by another publisher", RegistryNames.of(registry).registryId(),
            LocalRegistryHosting.NAMESPACE, LocalRegistryHosting.NAME);
      }
    } else if (state.phase() != NodeAccessState.Phase.WAITING) {
      discovery.remove(registry);
    }
  }

  /** The plan the agents follow on deletion says disabled (patched: the ConfigMap belongs to the gone workflow). */
  static Optional<ConfigMap> publishDisabledPlan(Observation seen, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(seen.registry());
    Optional<ConfigMap> disabled = NodeAccess.disabledPlanToPublish(seen);
    if (disabled.isEmpty()) {
      return seen.configMap(names.nodeAccessPlan());
    }
    var patch = NodeReports.JSON.createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(NodeAccessState.DISABLED_SINCE_ANNOTATION,
        disabled.get().getMetadata().getAnnotations().get(NodeAccessState.DISABLED_SINCE_ANNOTATION));
    patch.putObject("data").put(NodeAccessPlanRenderer.PLAN_KEY,
        disabled.get().getData().get(NodeAccessPlanRenderer.PLAN_KEY));
    return Optional.of(context.getClient().configMaps().inNamespace(names.namespace())
        .withName(names.nodeAccessPlan()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
  }
}
