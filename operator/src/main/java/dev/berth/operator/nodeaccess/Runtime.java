package dev.berth.operator.nodeaccess;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A node container runtime the agent knows how to configure; spelled in lower case in the plan and reports. */
public enum Runtime {
  CONTAINERD("containerd"),
  DOCKER("docker"),
  K3S("k3s"),
  RKE2("rke2");

  private final String id;

  Runtime(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static Runtime fromId(String id) {
    for (Runtime runtime : values()) {
      if (runtime.id.equals(id)) {
        return runtime;
      }
    }
    throw new IllegalArgumentException("unknown runtime \"" + id + "\"; known: "
        + Arrays.stream(values()).map(Runtime::id).collect(Collectors.joining(", ")));
  }
}
