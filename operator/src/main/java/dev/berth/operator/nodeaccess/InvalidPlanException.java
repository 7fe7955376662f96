package dev.berth.operator.nodeaccess;

/** The node-access plan file cannot be used; the message names the field and what is wrong with it. */
public final class InvalidPlanException extends RuntimeException {
  public InvalidPlanException(String message) {
    super(message);
  }

  public InvalidPlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
