package dev.berth.operator.nodeaccess;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one runtime on one node stands after the agent's last pass. */
public enum RuntimeOutcome {
  /** The runtime pulls from the registry by its names now. */
  CONFIGURED,
  /** Files are written but the runtime reads them only at (re)start or reload; the message says what to do. */
  RESTART_PENDING,
  /** The agent could not configure the runtime; the message says why and what to do. */
  FAILED,
  /** Node access is off: everything the agent had added for this runtime is gone. */
  REMOVED;

  /** True when pods on the node can (or will after the pending restart) pull through this runtime. */
  public boolean configured() {
    return this == CONFIGURED || this == RESTART_PENDING;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
