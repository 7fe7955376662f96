package dev.berth.operator.nodeaccess;

/** One runtime's outcome on one node, with a message for the Registry's status (empty when there is nothing to say). */
public record RuntimeReport(Runtime runtime, RuntimeOutcome outcome, String message) {
  public RuntimeReport {
    message = message == null ? "" : message;
  }
}
