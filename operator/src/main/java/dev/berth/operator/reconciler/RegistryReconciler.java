package dev.berth.operator.reconciler;

import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.dependent.AuthSecretDependent;
import dev.berth.operator.dependent.CaSecretDependent;
import dev.berth.operator.dependent.ClientServiceDependent;
import dev.berth.operator.dependent.ConfigMapDependent;
import dev.berth.operator.dependent.GcCronJobDependent;
import dev.berth.operator.dependent.GcScheduled;
import dev.berth.operator.dependent.GcTriggerJobDependent;
import dev.berth.operator.dependent.GcTriggered;
import dev.berth.operator.dependent.HeadlessServiceDependent;
import dev.berth.operator.dependent.MonitoringApisPresent;
import dev.berth.operator.dependent.NodeAccessPlanDependent;
import dev.berth.operator.dependent.NodeAgentDaemonSetDependent;
import dev.berth.operator.dependent.NodeAgentRoleBindingDependent;
import dev.berth.operator.dependent.NodeAgentRoleDependent;
import dev.berth.operator.dependent.NodeAgentServiceAccountDependent;
import dev.berth.operator.dependent.NodeAgentsWanted;
import dev.berth.operator.dependent.NodeReportsDependent;
import dev.berth.operator.dependent.OperatorAuthSecretCondition;
import dev.berth.operator.dependent.PodDisruptionBudgetDependent;
import dev.berth.operator.dependent.PrometheusRuleDependent;
import dev.berth.operator.dependent.SelfSignedTlsCondition;
import dev.berth.operator.dependent.ServiceMonitorDependent;
import dev.berth.operator.dependent.ServiceMonitorWanted;
import dev.berth.operator.dependent.SeveralReplicas;
import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.dependent.TlsSecretDependent;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.GarbageCollectionRuns;
import dev.berth.operator.observe.Observer;
import dev.berth.operator.gc.GcStatus;
import dev.berth.operator.observe.ReferencedSecrets;
import dev.berth.operator.plan.NodeAccess;
import dev.berth.operator.plan.NodeAccessState;
import dev.berth.operator.plan.Planner;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.status.ConditionList;
import dev.berth.operator.status.RegistryStatus;
import dev.berth.operator.storage.BucketCheck;
import dev.berth.operator.storage.DataClaims;
import dev.berth.operator.storage.SdkBucketCheck;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Registry into its objects in five named steps: observe (read what exists, once) -> validate (the spec
 * rules; a failing gate leaves a condition, not half-made objects) -> plan (the desired state as data) -> apply (the
 * workflow's dependents write from the plan; side effects outside them in {@link Apply}) -> status (one aggregator).
 * This class only sequences them.
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
      @Dependent(
          name = RegistryReconciler.DISRUPTION_BUDGET,
          type = PodDisruptionBudgetDependent.class,
          reconcilePrecondition = SeveralReplicas.class,
          dependsOn = RegistryReconciler.STATEFUL_SET),
      // garbage collection: a CronJob on the schedule, a Job per trigger value (docs/gc.md, docs/operator.md)
      @Dependent(
          name = RegistryReconciler.GC_CRON_JOB,
          type = GcCronJobDependent.class,
          reconcilePrecondition = GcScheduled.class,
          dependsOn = RegistryReconciler.STATEFUL_SET),
      @Dependent(
          name = RegistryReconciler.GC_TRIGGER_JOB,
          type = GcTriggerJobDependent.class,
          reconcilePrecondition = GcTriggered.class,
          dependsOn = RegistryReconciler.STATEFUL_SET),
      // monitoring: only where the Prometheus Operator's CRDs are (activation), while asked for (precondition)
      @Dependent(
          name = RegistryReconciler.SERVICE_MONITOR,
          type = ServiceMonitorDependent.class,
          activationCondition = MonitoringApisPresent.class,
          reconcilePrecondition = ServiceMonitorWanted.class,
          dependsOn = RegistryReconciler.HEADLESS_SERVICE),
      @Dependent(
          name = RegistryReconciler.PROMETHEUS_RULE,
          type = PrometheusRuleDependent.class,
          activationCondition = MonitoringApisPresent.class,
          reconcilePrecondition = ServiceMonitorWanted.class),
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
  static final String DISRUPTION_BUDGET = "disruption-budget";
  static final String CA_SECRET = "ca-secret";
  static final String TLS_SECRET = "tls-secret";
  static final String NODE_ACCESS_PLAN = "node-access-plan";
  static final String NODE_REPORTS = "node-reports";
  static final String NODE_AGENT_ACCOUNT = "node-agent-service-account";
  static final String NODE_AGENT_ROLE = "node-agent-role";
  static final String NODE_AGENT_ROLE_BINDING = "node-agent-role-binding";
  static final String NODE_AGENT = "node-agent";
  static final String AUTH_SECRET = "auth-secret";
  static final String GC_CRON_JOB = "gc-cron-job";
  static final String GC_TRIGGER_JOB = "gc-trigger-job";
  static final String SERVICE_MONITOR = "service-monitor";
  static final String PROMETHEUS_RULE = "prometheus-rule";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryReconciler.class);

  private final OperatorSettings settings;
  private final Clock clock;
  private final Observer observer;
  private final StatusAggregator aggregator;
  private final Planner planner;

  private final dev.berth.operator.proxy.UpstreamProbe upstreams;

  public RegistryReconciler(OperatorSettings settings, Clock clock) {
    this(settings, clock, new SdkBucketCheck(), new dev.berth.operator.proxy.UpstreamProbe(clock));
  }

  /** As above, asking buckets through {@code bucketCheck} (tests answer without an S3 server). */
  public RegistryReconciler(OperatorSettings settings, Clock clock, BucketCheck bucketCheck) {
    this(settings, clock, bucketCheck, new dev.berth.operator.proxy.UpstreamProbe(clock));
  }

  /** @param upstreams how the pull-through cache's upstreams are checked for the status */
  public RegistryReconciler(OperatorSettings settings, Clock clock, dev.berth.operator.proxy.UpstreamProbe upstreams) {
    this(settings, clock, new SdkBucketCheck(), upstreams);
  }

  private RegistryReconciler(OperatorSettings settings, Clock clock, BucketCheck bucketCheck,
      dev.berth.operator.proxy.UpstreamProbe upstreams) {
    this.upstreams = upstreams;
    this.settings = settings;
    this.clock = clock;
    this.observer = new Observer(clock, bucketCheck);
    this.aggregator = new StatusAggregator(new ConditionList(clock));
    this.planner = new Planner(settings);
  }

  @Override
  public List<EventSource<?, Registry>> prepareEventSources(EventSourceContext<Registry> context) {
    return List.of(ReferencedSecrets.eventSource(context), GarbageCollectionRuns.eventSource(context));
  }

  @Override
  public UpdateControl<Registry> reconcile(Registry registry, Context<Registry> context) {
    RegistryEvents events = new RegistryEvents(context.getClient(), clock);
    Observation seen = observer.observe(registry, context);
    Validator.Verdict verdict = Validator.validate(seen);
    StatusAggregator.Report report;
    Optional<NodeAccess.Decision> nodeAccess = Optional.empty();
    if (verdict.blocked()) {
      report = aggregator.blocked(seen, verdict);
    } else {
      RegistryPlan plan = planner.plan(seen);
      Apply.Outcome outcome = new Apply(events).apply(plan, seen, verdict, context);
      report = aggregator.applied(seen, verdict, plan, outcome,
          upstreams.check(registry.getSpec().proxyOrDefault()));
      nodeAccess = Optional.of(plan.nodeAccess());
    }
    events.transitions(registry, registry.getStatus(), report.conditions());
    GcStatus.event(registry.getStatus() == null ? null : registry.getStatus().getGarbageCollection(),
        report.status().getGarbageCollection()).ifPresent(run -> {
          if (run.failed()) {
            events.warning(registry, run.reason(), run.message());
          } else {
            events.normal(registry, run.reason(), run.message());
          }
        });
    UpdateControl<Registry> control = report.status().equals(registry.getStatus())
        ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(statusOnly(registry, report.status()));
    return LookAgain.after(report, nodeAccess, settings.recheck()).map(control::rescheduleAfter).orElse(control);
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
    StatusAggregator.Failure failure = aggregator.failed(registry, message);
    new RegistryEvents(context.getClient(), clock).transitions(registry, registry.getStatus(), List.of(failure.ready()));
    return ErrorStatusUpdateControl.patchStatus(statusOnly(registry, failure.status()));
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
    RegistryEvents events = new RegistryEvents(context.getClient(), clock);
    // the agents remove what they added before the DaemonSet goes with the Registry (bounded: NodeAccess)
    Observation seen = observer.observe(registry, context);
    NodeAccess.Decision removal = NodeAccess.cleanup(seen, Apply.publishDisabledPlan(seen, context));
    removal.event().ifPresent(e -> events.record(registry, e));
    if (removal.state().phase() == NodeAccessState.Phase.REMOVING) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.recheck());
    }
    new LocalRegistryHosting(context.getClient()).remove(registry);
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    new DataClaims(context.getClient()).onRegistryDeleted(registry)
        .ifPresent(message -> events.normal(registry, message.reason(), message.text()));
    return DeleteControl.defaultDelete();
  }
}
