package dev.berth.operator.spec;

/** Container runtimes the node agent configures, spelled as in the plan and the agent's reports. */
public enum NodeRuntime {
  containerd,
  docker,
  k3s,
  rke2
}
