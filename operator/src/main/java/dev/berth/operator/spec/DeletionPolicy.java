package dev.berth.operator.spec;

/** What deleting a Registry does to the claims holding its data. */
public enum DeletionPolicy {
  /** Keep the claims (the default): data survives the Registry. */
  Retain,
  /** Delete the claims the operator's StatefulSet created. */
  Delete
}
