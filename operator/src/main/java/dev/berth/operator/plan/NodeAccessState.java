package dev.berth.operator.plan;


import java.time.Instant;
import java.util.Objects;

/**
 * Where node access stands for one Registry, decided once per reconcile before the workflow runs; the node access
 * dependents render from it and their precondition reads it.
 *
 * @param phase see {@link Phase}
 * @param planJson the plan to publish; null when there is none (off, or waiting for the Service with no plan yet)
 * @param disabledSince while removing: when the plan first said {@code enabled: false} (the removal's deadline starts)
 */
public record NodeAccessState(Phase phase, String planJson, Instant disabledSince) {
  /** Annotation on the plan ConfigMap: when the disabled plan was first published. */
  public static final String DISABLED_SINCE_ANNOTATION = "berth.dev/node-access-disabled-since";

  public enum Phase {
    /** Node access is off and nothing of it runs. */
    OFF,
    /** On, but the Service's ClusterIP or the registry's CA is not there yet: an existing plan is kept, none made. */
    WAITING,
    /** On: the agents apply the plan. */
    ACTIVE,
    /** Turned off (or the Registry is going): the plan says disabled, the agents remove, then the DaemonSet goes. */
    REMOVING
  }

  public NodeAccessState {
    Objects.requireNonNull(phase, "phase");
    if (phase == Phase.ACTIVE && planJson == null) {
      throw new IllegalArgumentException("an active node access state needs a plan");
    }
    if (phase == Phase.REMOVING && (planJson == null || disabledSince == null)) {
      throw new IllegalArgumentException("a removal needs the disabled plan and its start time");
    }
  }

  public static NodeAccessState off() {
    return new NodeAccessState(Phase.OFF, null, null);
  }

  /** Whether the plan, the report ConfigMap, the agent's RBAC and the DaemonSet should exist. */
  public boolean agentsWanted() {
    return phase != Phase.OFF && planJson != null;
  }
}
