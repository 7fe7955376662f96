package dev.berth.operator.reconciler;

import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.dependent.AuthSecretDependent;
import dev.berth.operator.dependent.CaSecretDependent;
import dev.berth.operator.dependent.ClientServiceDependent;
import dev.berth.operator.dependent.ConfigMapDependent;
import dev.berth.operator.dependent.HeadlessServiceDependent;
import dev.berth.operator.dependent.NodeAccessPlanDependent;
import dev.berth.operator.dependent.NodeAccessState;
import dev.berth.operator.dependent.NodeAgentDaemonSetDependent;
import dev.berth.operator.dependent.NodeAgentRoleBindingDependent;
import dev.berth.operator.dependent.NodeAgentRoleDependent;
import dev.berth.operator.dependent.NodeAgentServiceAccountDependent;
import dev.berth.operator.dependent.NodeAgentsWanted;
import dev.berth.operator.dependent.NodeReportsDependent;
import dev.berth.operator.dependent.OperatorAuthSecretCondition;
import dev.berth.operator.dependent.RegistryNames;
import dev.berth.operator.dependent.SelfSignedTlsCondition;
import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.dependent.TlsSecretDependent;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.status.ConditionList;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.RegistryStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Registry into its ConfigMap, Services and StatefulSet (the workflow's dependents do the writing) and
 * reports what it sees in the status. The workflow runs only for a spec that passes {@link SpecRules} and whose
 * referenced objects exist, so a bad Registry leaves a condition, not half-made objects.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = RegistryReconciler.CONFIG_MAP, type = ConfigMapDependent.class),
      @Dependent(name = RegistryReconciler.HEADLESS_SERVICE, type = HeadlessServiceDependent.class),
      @Dependent(name = RegistryReconciler.CLIENT_SERVICE, type = ClientServiceDependent.class),
      @Dependent(
          name = RegistryReconciler.CA_SECRET,
          type = CaSecretDependent.class,
          reconcilePrecondition = SelfSignedTlsCondition.class),
      @Dependent(
          name = RegistryReconciler.TLS_SECRET,
          type = TlsSecretDependent.class,
          reconcilePrecondition = SelfSignedTlsCondition.class,
          dependsOn = {RegistryReconciler.CA_SECRET, RegistryReconciler.CLIENT_SERVICE}),
      @Dependent(
          name = RegistryReconciler.AUTH_SECRET,
          type = AuthSecretDependent.class,
          reconcilePrecondition = OperatorAuthSecretCondition.class),
      @Dependent(
          name = RegistryReconciler.STATEFUL_SET,
          type = StatefulSetDependent.class,
          dependsOn = {RegistryReconciler.CONFIG_MAP, RegistryReconciler.HEADLESS_SERVICE}),
      // node access: all exist while NodeAgentsWanted holds; the DaemonSet comes last and goes first
      @Dependent(
          name = RegistryReconciler.NODE_ACCESS_PLAN,
          type = NodeAccessPlanDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class,
          dependsOn = RegistryReconciler.CLIENT_SERVICE),
      @Dependent(
          name = RegistryReconciler.NODE_REPORTS,
          type = NodeReportsDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class),
      @Dependent(
          name = RegistryReconciler.NODE_AGENT_ACCOUNT,
          type = NodeAgentServiceAccountDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class),
      @Dependent(
          name = RegistryReconciler.NODE_AGENT_ROLE,
          type = NodeAgentRoleDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class),
      @Dependent(
          name = RegistryReconciler.NODE_AGENT_ROLE_BINDING,
          type = NodeAgentRoleBindingDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class,
          dependsOn = {RegistryReconciler.NODE_AGENT_ACCOUNT, RegistryReconciler.NODE_AGENT_ROLE}),
      @Dependent(
          name = RegistryReconciler.NODE_AGENT,
          type = NodeAgentDaemonSetDependent.class,
          reconcilePrecondition = NodeAgentsWanted.class,
          dependsOn = {
            RegistryReconciler.NODE_ACCESS_PLAN,
            RegistryReconciler.NODE_REPORTS,
            RegistryReconciler.NODE_AGENT_ROLE_BINDING
          })
    })
@ControllerConfiguration(name = RegistryReconciler.NAME)
public class RegistryReconciler implements Reconciler<Registry>, Cleaner<Registry> {
  public static final String NAME = "registry";
  static final String CONFIG_MAP = "config-map";
  static final String HEADLESS_SERVICE = "headless-service";
  static final String CLIENT_SERVICE = "client-service";
  static final String STATEFUL_SET = "stateful-set";
  static final String CA_SECRET = "ca-secret";
  static final String TLS_SECRET = "tls-secret";
  static final String NODE_ACCESS_PLAN = "node-access-plan";
  static final String NODE_REPORTS = "node-reports";
  static final String NODE_AGENT_ACCOUNT = "node-agent-service-account";
  static final String NODE_AGENT_ROLE = "node-agent-role";
  static final String NODE_AGENT_ROLE_BINDING = "node-agent-role-binding";
  static final String NODE_AGENT = "node-agent";
  static final String AUTH_SECRET = "auth-secret";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryReconciler.class);

  private final OperatorSettings settings;
  private final Clock clock;
  private final ConditionList conditionList;

  public RegistryReconciler(OperatorSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.conditionList = new ConditionList(clock);
  }

  @Override
  public UpdateControl<Registry> reconcile(Registry registry, Context<Registry> context) {
    var client = context.getClient();
    DataClaims claims = new DataClaims(client);
    RegistryNames names = RegistryNames.of(registry);
    StorageSpec storage = registry.getSpec().storageOrDefault();
    int replicas = registry.getSpec().replicasOrDefault();
    Optional<PersistentVolumeClaim> existingClaim = claims.existingClaim(registry);

    List<String> problems =
        SpecRules.problems(registry.getSpec(), context.getSecondaryResource(StatefulSet.class), existingClaim);
    Instant now = Instant.now(clock);
    TlsState tls = TlsState.off();
    AuthState auth = new AuthState(Optional.empty(), false);
    List<ConditionState> conditions = new ArrayList<>();
    Optional<NodeAccess.Decision> nodeAccess = Optional.empty();
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      conditions.add(ConditionState.isFalse(ConditionType.READY, "InvalidSpec", message));
      conditions.add(
          ConditionState.unknown(ConditionType.STORAGE_READY, "InvalidSpec", "not checked: the spec is invalid"));
    } else if (storage.kind() == StorageSpec.StorageKind.EXISTING_CLAIM && existingClaim.isEmpty()) {
      ConditionState storageState = DataClaims.existingClaimState(storage.getExistingClaim(), existingClaim);
      conditions.add(ConditionState.isFalse(ConditionType.READY, "StorageNotReady", storageState.message()));
      conditions.add(storageState);
    } else if ((tls = TlsState.checkUserSecret(registry, client, now)).blocking()) {
      ConditionState tlsState = tls.condition().orElseThrow();
      conditions.add(ConditionState.isFalse(ConditionType.READY, "TLSNotReady", tlsState.message()));
      conditions.add(ConditionState.unknown(ConditionType.STORAGE_READY, "TLSNotReady",
          "not checked: nothing is made until the TLS Secret is usable"));
      conditions.add(tlsState);
    } else if ((auth = AuthState.check(registry, client)).blocking()) {
      ConditionState authState = auth.condition().orElseThrow();
      conditions.add(ConditionState.isFalse(ConditionType.READY, "AuthNotReady", authState.message()));
      conditions.add(ConditionState.unknown(ConditionType.STORAGE_READY, "AuthNotReady",
          "not checked: nothing is made until the auth Secrets are there"));
      tls.condition().ifPresent(conditions::add);
      conditions.add(authState);
    } else {
      var workflowContext = context.managedWorkflowAndDependentResourceContext();
      workflowContext.put(OperatorSettings.class, settings);
      NodeAccess.Decision access = new NodeAccess(client, clock).decide(registry, context);
      workflowContext.put(NodeAccessState.KEY, access.state());
      nodeAccess = Optional.of(access);
      workflowContext.reconcileManagedWorkflow();
      if (registry.getSpec().tlsOrDefault().modeOrDefault() == TlsMode.SelfSigned) {
        Optional<Secret> serving = context.getSecondaryResources(Secret.class).stream()
            .filter(x -> names.tlsSecret().equals(x.getMetadata().getName()))
            .findFirst();
        tls = TlsState.selfSigned(registry, serving, now);
      }
      ConditionState storageState = claims.check(registry, replicas);
      Optional<StatefulSet> statefulSet = context.getSecondaryResource(StatefulSet.class);
      ConditionState ready = readiness(names, replicas, readyReplicas(statefulSet), storageState, context);
      if (ready.isTrue() && tls.condition().isPresent() && !tls.condition().get().isTrue()) {
        ready = ConditionState.isFalse(ConditionType.READY, "TLSNotReady", tls.condition().get().message());
      }
      conditions.add(ready);
      conditions.add(storageState);
      tls.condition().ifPresent(conditions::add);
      access.condition().ifPresent(conditions::add);
      access.event().ifPresent(e -> recordRemoval(registry, e, client));
      discovery(registry, access.state(), client);
      auth.condition().ifPresent(conditions::add);
    }

    RegistryStatus next = new RegistryStatus();
    RegistryStatus previous = registry.getStatus();
    next.setObservedGeneration(registry.getMetadata().getGeneration());
    next.setConditions(conditionList.merge(
        previous == null ? null : previous.getConditions(), conditions, generation(registry)));
    next.setReadyReplicas(readyReplicas(context.getSecondaryResource(StatefulSet.class)));
    next.setEndpoint(names.endpoint(registry.getSpec().serviceOrDefault().portOrDefault()));
    next.setTls(tls.status());
    next.setNodes(nodeAccess.flatMap(NodeAccess.Decision::nodes).orElse(null));
    recordTransitions(registry, previous, conditions, new RegistryEvents(client, clock));

    boolean ready = conditions.get(0).isTrue();
    // nodes are not watched: look again while a node is not configured yet (or a removal is under way)
    boolean nodesSettled = nodeAccess.flatMap(NodeAccess.Decision::condition).map(ConditionState::isTrue).orElse(true);
    Optional<Duration> lookAgain = ready && nodesSettled ? tls.renewIn() : Optional.of(settings.recheck());
    if (nodeAccess.map(a -> a.state().phase() == NodeAccessState.Phase.ACTIVE).orElse(false)) {
      // nodes and a user's TLS Secret are not watched: count the nodes and read the CA again now and then
      lookAgain = Optional.of(lookAgain.filter(d -> d.compareTo(NodeAccess.RESYNC) < 0).orElse(NodeAccess.RESYNC));
    }
    if (!registry.getSpec().authOrDefault().usersOrEmpty().isEmpty()) {
      // users' password Secrets are not watched: read them again now and then, so a changed password is rendered
      lookAgain = Optional.of(lookAgain.filter(d -> d.compareTo(NodeAccess.RESYNC) < 0).orElse(NodeAccess.RESYNC));
    }
    UpdateControl<Registry> control = next.equals(previous)
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(statusOnly(registry, next));
    return lookAgain.map(control::rescheduleAfter).orElse(control);
  }

  /** Publishes kube-public/local-registry-hosting while node access is active, takes it back when it is not. */
  private void discovery(
      Registry registry, NodeAccessState state, KubernetesClient client) {
    LocalRegistryHosting discovery = new LocalRegistryHosting(client);
    boolean wanted = registry.getSpec().nodeAccessOrDefault().localRegistryHostingOrDefault().enabledOrDefault();
    if (state.phase() == NodeAccessState.Phase.ACTIVE && wanted) {
      if (discovery.publish(registry) == LocalRegistryHosting.Outcome.HELD_ELSEWHERE) {
        LOG.debug("Registry {}/{}: {}/{} is held by another publisher", registry.getMetadata().getNamespace(),
            registry.getMetadata().getName(), LocalRegistryHosting.NAMESPACE, LocalRegistryHosting.NAME);
      }
    } else if (state.phase() != NodeAccessState.Phase.WAITING) {
      discovery.remove(registry);
    }
  }

  private void recordRemoval(
      Registry registry, NodeAccess.RemovalEvent event, KubernetesClient client) {
    RegistryEvents events = new RegistryEvents(client, clock);
    if (event.warning()) {
      events.warning(registry, event.reason(), event.message());
    } else {
      events.normal(registry, event.reason(), event.message());
    }
  }

  private ConditionState readiness(RegistryNames names, int replicas, int readyReplicas, ConditionState storage,
      Context<Registry> context) {
    if (!storage.isTrue()) {
      return ConditionState.isFalse(ConditionType.READY, "StorageNotReady", storage.message());
    }
    if (replicas == 0) {
      return ConditionState.isFalse(ConditionType.READY, "ScaledToZero", "spec.replicas is 0: no pod serves");
    }
    if (readyReplicas >= replicas) {
      return ConditionState.isTrue(ConditionType.READY, "AllReplicasReady",
          readyReplicas + "/" + replicas + " replicas ready");
    }
    return new PodDiagnosis(context.getClient()).problem(names)
        .orElse(ConditionState.isFalse(ConditionType.READY, "Progressing",
            readyReplicas + "/" + replicas + " replicas ready"));
  }

  private static int readyReplicas(Optional<StatefulSet> statefulSet) {
    return statefulSet
        .map(StatefulSet::getStatus)
        .map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas())
        .orElse(0);
  }

  private static long generation(Registry registry) {
    Long generation = registry.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }

  /** One Event per condition that changed status or reason; "Progressing" is normal, other falses are warnings. */
  private static void recordTransitions(
      Registry registry, RegistryStatus previous, List<ConditionState> next, RegistryEvents events) {
    for (ConditionState state : next) {
      Optional<Condition> old = previous == null ? Optional.empty() : previous.condition(state.type());
      boolean changed = old.isEmpty()
          || !Objects.equals(old.get().getStatus(), state.status())
          || !Objects.equals(old.get().getReason(), state.reason());
      if (!changed) {
        continue;
      }
      String message = state.type() + " is " + state.status() + ": " + state.message();
      // a removal the user asked for (node access turned off) is progress too, not trouble
      if (state.isTrue() || state.reason().equals("Progressing") || state.reason().equals("Removing")
          || state.status().equals("Unknown")) {
        events.normal(registry, state.reason(), message);
      } else {
        events.warning(registry, state.reason(), message);
      }
    }
  }

  /** The status patch carries nothing but identity and status, so it cannot undo a concurrent spec change. */
  static Registry statusOnly(Registry registry, RegistryStatus status) {
    Registry fresh = new Registry();
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(registry.getMetadata().getName())
        .withNamespace(registry.getMetadata().getNamespace())
        .build());
    fresh.setStatus(status);
    return fresh;
  }

  @Override
  public ErrorStatusUpdateControl<Registry> updateErrorStatus(
      Registry registry, Context<Registry> context, Exception e) {
    String message = "reconcile failed: " + rootMessage(e);
    LOG.warn("Registry {}/{}: {}", registry.getMetadata().getNamespace(), registry.getMetadata().getName(), message, e);
    RegistryStatus previous = registry.getStatus();
    RegistryStatus next = new RegistryStatus();
    next.setObservedGeneration(registry.getMetadata().getGeneration());
    List<Condition> oldConditions = previous == null ? List.of() : previous.getConditions();
    List<ConditionState> states = new java.util.ArrayList<>();
    states.add(ConditionState.isFalse(ConditionType.READY, "ReconcileFailed", message));
    oldConditions.stream()
        .filter(c -> !ConditionType.READY.equals(c.getType()))
        .forEach(c -> states.add(new ConditionState(c.getType(), c.getStatus(), c.getReason(), c.getMessage())));
    next.setConditions(conditionList.merge(oldConditions, states, generation(registry)));
    if (previous != null) {
      next.setReadyReplicas(previous.getReadyReplicas());
      next.setEndpoint(previous.getEndpoint());
      next.setTls(previous.getTls());
      next.setNodes(previous.getNodes());
    }
    recordTransitions(registry, previous, states.subList(0, 1), new RegistryEvents(context.getClient(), clock));
    return ErrorStatusUpdateControl.patchStatus(statusOnly(registry, next));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t.getCause() != null && depth < 10; depth++) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public DeleteControl cleanup(Registry registry, Context<Registry> context) {
    // the agents remove what they added before the DaemonSet goes with the Registry (bounded: NodeAccess)
    NodeAccess.Decision removal = new NodeAccess(context.getClient(), clock).cleanup(registry, context);
    removal.event().ifPresent(e -> recordRemoval(registry, e, context.getClient()));
    if (removal.state().phase() == NodeAccessState.Phase.REMOVING) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.recheck());
    }
    new LocalRegistryHosting(context.getClient()).remove(registry);
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    StorageSpec storage = registry.getSpec().storageOrDefault();
    RegistryEvents events = new RegistryEvents(context.getClient(), clock);
    if (storage.kind() == StorageSpec.StorageKind.CLAIM_TEMPLATE
        && storage.deletionPolicyOrDefault() == DeletionPolicy.Delete) {
      List<String> deleted = new DataClaims(context.getClient()).deleteTemplateClaims(registry);
      if (!deleted.isEmpty()) {
        events.normal(registry, "ClaimsDeleted", "deletionPolicy Delete: deleted " + String.join(", ", deleted));
      }
    } else if (storage.kind() != StorageSpec.StorageKind.EMPTY_DIR) {
      events.normal(registry, "ClaimsRetained", "deletionPolicy Retain: the data claims are kept");
    }
    return DeleteControl.defaultDelete();
  }
}
