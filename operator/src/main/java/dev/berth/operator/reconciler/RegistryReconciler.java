package dev.berth.operator.reconciler;

import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.dependent.ClientServiceDependent;
import dev.berth.operator.dependent.ConfigMapDependent;
import dev.berth.operator.dependent.HeadlessServiceDependent;
import dev.berth.operator.dependent.RegistryNames;
import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.dependent.CaSecretDependent;
import dev.berth.operator.dependent.SelfSignedTlsCondition;
import dev.berth.operator.dependent.TlsSecretDependent;
import dev.berth.operator.spec.TlsMode;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import dev.berth.operator.spec.DeletionPolicy;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.status.ConditionList;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.RegistryStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
          name = RegistryReconciler.STATEFUL_SET,
          type = StatefulSetDependent.class,
          dependsOn = {RegistryReconciler.CONFIG_MAP, RegistryReconciler.HEADLESS_SERVICE})
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
    List<ConditionState> conditions = new ArrayList<>();
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
    } else {
      var workflowContext = context.managedWorkflowAndDependentResourceContext();
      workflowContext.put(OperatorSettings.class, settings);
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
    }

    RegistryStatus next = new RegistryStatus();
    RegistryStatus previous = registry.getStatus();
    next.setObservedGeneration(registry.getMetadata().getGeneration());
    next.setConditions(conditionList.merge(
        previous == null ? null : previous.getConditions(), conditions, generation(registry)));
    next.setReadyReplicas(readyReplicas(context.getSecondaryResource(StatefulSet.class)));
    next.setEndpoint(names.endpoint(registry.getSpec().serviceOrDefault().portOrDefault()));
    next.setTls(tls.status());
    recordTransitions(registry, previous, conditions, new RegistryEvents(client, clock));

    boolean ready = conditions.get(0).isTrue();
    Optional<Duration> lookAgain = ready ? tls.renewIn() : Optional.of(settings.recheck());
    UpdateControl<Registry> control = next.equals(previous)
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(statusOnly(registry, next));
    return lookAgain.map(control::rescheduleAfter).orElse(control);
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
      if (state.isTrue() || state.reason().equals("Progressing") || state.status().equals("Unknown")) {
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
