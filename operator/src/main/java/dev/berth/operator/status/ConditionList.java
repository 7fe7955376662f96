package dev.berth.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns decided {@link ConditionState}s into Kubernetes conditions, keeping lastTransitionTime when the status did not
 * change, so that an unchanged world produces an identical status (and no write).
 */
public final class ConditionList {
  private final Clock clock;

  public ConditionList(Clock clock) {
    this.clock = clock;
  }

  public List<Condition> merge(List<Condition> previous, List<ConditionState> next, long generation) {
    List<Condition> merged = new ArrayList<>();
    for (ConditionState state : next) {
      Condition old = previous == null
          ? null
          : previous.stream().filter(c -> state.type().equals(c.getType())).findFirst().orElse(null);
      String transition = old != null && state.status().equals(old.getStatus()) && old.getLastTransitionTime() != null
          ? old.getLastTransitionTime()
          : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
      merged.add(new ConditionBuilder()
          .withType(state.type())
          .withStatus(state.status())
          .withReason(state.reason())
          .withMessage(state.message())
          .withObservedGeneration(generation)
          .withLastTransitionTime(transition)
          .build());
    }
    return merged;
  }
}
