package dev.berth.operator.status;

import java.util.Objects;

/**
 * One condition as the operator decides it, before it gets a transition time.
 *
 * @param type e.g. {@link ConditionType#READY}
 * @param status "True", "False" or "Unknown"
 * @param reason CamelCase, machine-readable
 * @param message for humans
 */
public record ConditionState(String type, String status, String reason, String message) {
  public ConditionState {
    Objects.requireNonNull(type, "type");
    if (!status.equals("True") && !status.equals("False") && !status.equals("Unknown")) {
      throw new IllegalArgumentException("condition status must be True, False or Unknown, not " + status);
    }
    if (reason == null || !reason.matches("[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?")) {
      throw new IllegalArgumentException("condition reason must be CamelCase, not " + reason);
    }
  }

  public static ConditionState isTrue(String type, String reason, String message) {
    return new ConditionState(type, "True", reason, message);
  }

  public static ConditionState isFalse(String type, String reason, String message) {
    return new ConditionState(type, "False", reason, message);
  }

  public static ConditionState unknown(String type, String reason, String message) {
    return new ConditionState(type, "Unknown", reason, message);
  }

  public boolean isTrue() {
    return "True".equals(status);
  }
}
