package dev.berth.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.Observations;
import dev.berth.operator.plan.Planner;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.status.ConditionList;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status step and the requeue policy, from an observation, a verdict and an outcome: no API involved. */
class StatusAggregatorTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final StatusAggregator aggregator = new StatusAggregator(new ConditionList(Clock.fixed(NOW, ZoneOffset.UTC)));

  @Test
  void aBlockedReconcileReportsItsGateAndIsLookedAtAgainSoon() {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(-1);
    Observation seen = Observations.of(Observations.registry("bad", spec), NOW);
    StatusAggregator.Report report = aggregator.blocked(seen, Validator.validate(seen));
    assertThat(report.ready()).isFalse();
    assertThat(report.status().getObservedGeneration()).isEqualTo(1L);
    assertThat(report.status().condition("Ready")).map(c -> c.getReason()).contains("InvalidSpec");
    assertThat(LookAgain.after(report, Optional.empty(), Duration.ofSeconds(7))).contains(Duration.ofSeconds(7));
  }

  @Test
  void storageReadyWithoutReadyReplicasIsProgressingAndAPodProblemIsNamed() {
    Observation seen = Observations.of(Observations.registry("main", new RegistrySpec()), NOW);
    Validator.Verdict verdict = Validator.validate(seen);
    RegistryPlan plan = new Planner(OperatorTestSupport.settings()).plan(seen);
    ConditionState storage = ConditionState.isTrue(ConditionType.STORAGE_READY, "ClaimsBound", "bound");

    StatusAggregator.Report progressing =
        aggregator.applied(seen, verdict, plan, new Apply.Outcome(storage, Optional.empty()));
    assertThat(progressing.conditions().get(0).reason()).isEqualTo("Progressing");
    assertThat(progressing.conditions()).extracting(ConditionState::type)
        .containsExactly("Ready", "StorageReady", "NodesConfigured");

    ConditionState pull = ConditionState.isFalse(ConditionType.READY, "ImagePullFailed", "pod main-0: ErrImagePull");
    assertThat(aggregator.applied(seen, verdict, plan, new Apply.Outcome(storage, Optional.of(pull)))
        .conditions().get(0)).isEqualTo(pull);
  }

  @Test
  void aBlockedReconcileOfARunningRegistryKeepsTheConditionsItDidNotDecide() {
    var registry = Observations.registry("s3", dev.berth.operator.S3Fixture.s3Spec(1, "registry-s3"));
    var status = new dev.berth.operator.status.RegistryStatus();
    status.setConditions(new ConditionList(Clock.fixed(NOW, ZoneOffset.UTC)).merge(null, java.util.List.of(
        ConditionState.isTrue(ConditionType.READY, "AllReplicasReady", "1/1 replicas ready"),
        ConditionState.isTrue(ConditionType.STORAGE_READY, "BucketReachable", "reached"),
        ConditionState.isTrue(ConditionType.NODES_CONFIGURED, "AllNodesConfigured", "3/3")), 1L));
    registry.setStatus(status);
    Observation seen = Observations.of(registry, NOW);

    StatusAggregator.Report report = aggregator.blocked(seen, Validator.validate(seen));

    assertThat(report.conditions()).extracting(ConditionState::type)
        .containsExactly("Ready", "StorageReady", "NodesConfigured");
    assertThat(report.conditions()).extracting(ConditionState::reason)
        .containsExactly("StorageNotReady", "CredentialsSecretNotFound", "AllNodesConfigured");
  }
}
