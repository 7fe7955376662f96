package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.Runtime;

/** Writes (and removes) one runtime's registry configuration on the node. */
public interface RuntimeWriter {
  Runtime runtime();

  /**
   * Makes the node's files match {@code plan}, taking away what {@code previous} recorded that the plan no longer
   * wants. Never throws for node problems: they come back as a FAILED report with the previous footprint kept.
   */
  WriterResult apply(NodeAccessPlan plan, RuntimeFootprint previous);

  /** Takes away everything {@code previous} records. */
  WriterResult remove(RuntimeFootprint previous);
}
