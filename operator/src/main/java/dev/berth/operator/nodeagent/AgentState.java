package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.Runtime;

import java.util.EnumMap;
import java.util.Map;

/**
 * The agent's memory on the node, kept in its own host directory: which Registry it serves, the plan it last applied,
 * and per runtime what it added.
 */
public record AgentState(String registry, String planHash, Map<Runtime, RuntimeFootprint> runtimes) {
  public AgentState {
    planHash = planHash == null ? "" : planHash;
    var copy = new EnumMap<Runtime, RuntimeFootprint>(Runtime.class);
    if (runtimes != null) {
      runtimes.forEach((runtime, footprint) -> {
        if (footprint != null && !footprint.isEmpty()) {
          copy.put(runtime, footprint);
        }
      });
    }
    runtimes = Map.copyOf(copy);
  }

  public static AgentState empty() {
    return new AgentState(null, "", Map.of());
  }

  public RuntimeFootprint footprint(Runtime runtime) {
    return runtimes.getOrDefault(runtime, RuntimeFootprint.empty());
  }
}
