package dev.berth.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionListTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  @Test
  void transitionTimeChangesOnlyWithTheStatus() {
    List<Condition> first = new ConditionList(Clock.fixed(T0, ZoneOffset.UTC)).merge(null,
        List.of(ConditionState.isFalse("Ready", "Progressing", "0/1 replicas ready")), 1);
    ConditionList later = new ConditionList(Clock.fixed(T1, ZoneOffset.UTC));

    List<Condition> sameStatus = later.merge(first,
        List.of(ConditionState.isFalse("Ready", "StorageNotReady", "claim pending")), 2);
    assertThat(sameStatus.get(0).getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(sameStatus.get(0).getReason()).isEqualTo("StorageNotReady");
    assertThat(sameStatus.get(0).getObservedGeneration()).isEqualTo(2L);

    List<Condition> flipped = later.merge(first,
        List.of(ConditionState.isTrue("Ready", "AllReplicasReady", "1/1 replicas ready")), 2);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo(T1.toString());
  }

  @Test
  void unchangedInputGivesAnEqualList() {
    ConditionList list = new ConditionList(Clock.fixed(T0, ZoneOffset.UTC));
    List<ConditionState> states = List.of(ConditionState.isTrue("Ready", "AllReplicasReady", "1/1"),
        ConditionState.isTrue("StorageReady", "ClaimsBound", "bound"));
    List<Condition> once = list.merge(null, states, 3);
    assertThat(new ConditionList(Clock.fixed(T1, ZoneOffset.UTC)).merge(once, states, 3)).isEqualTo(once);
  }

  @Test
  void malformedConditionsAreRefused() {
    assertThatThrownBy(() -> new ConditionState("Ready", "Yes", "Fine", "m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("True, False or Unknown");
    assertThatThrownBy(() -> new ConditionState("Ready", "True", "all good", "m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CamelCase");
    assertThatThrownBy(() -> new ConditionState(null, "True", "Fine", "m"))
        .isInstanceOf(NullPointerException.class);
  }
}
