package dev.berth.registry.http.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.connection.TimeoutPolicy.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The timeout decisions on a hand-driven clock: each phase has its own timeout, a pending write its own. */
class TimeoutPolicyTest {
  static final long S = 1_000_000_000L;
  final TimeoutPolicy policy = new TimeoutPolicy(new RegistryConfig.Timeouts(
      Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(75), Duration.ofSeconds(20)));

  @Test
  void eachPhaseRunsOutAtItsOwnTimeout() {
    assertThat(policy.check(ConnectionPhase.IDLE, 0, -1, 74 * S)).isEqualTo(Verdict.NONE);
    assertThat(policy.check(ConnectionPhase.IDLE, 0, -1, 75 * S)).isEqualTo(Verdict.IDLE);
    assertThat(policy.check(ConnectionPhase.HEADERS, 0, -1, 59 * S)).isEqualTo(Verdict.NONE);
    assertThat(policy.check(ConnectionPhase.HEADERS, 0, -1, 60 * S)).isEqualTo(Verdict.HEADER);
    assertThat(policy.check(ConnectionPhase.BODY, 0, -1, 29 * S)).isEqualTo(Verdict.NONE);
    assertThat(policy.check(ConnectionPhase.BODY, 0, -1, 30 * S)).isEqualTo(Verdict.BODY);
  }

  @Test
  void theServersOwnWorkIsNeverTimedOut() {
    assertThat(policy.check(ConnectionPhase.PROCESSING, 0, -1, 3600 * S)).isEqualTo(Verdict.NONE);
  }

  @Test
  void aPendingResponseRunsOutOnlyWhenItStopsMoving() {
    assertThat(policy.check(ConnectionPhase.PROCESSING, 0, 100 * S, 119 * S)).isEqualTo(Verdict.NONE);
    assertThat(policy.check(ConnectionPhase.PROCESSING, 0, 100 * S, 120 * S)).isEqualTo(Verdict.SEND);
  }

  @Test
  void theTickIsAQuarterOfTheShortestTimeoutWithinBounds() {
    assertThat(policy.tickNanos()).isEqualTo(S);
    TimeoutPolicy fast = new TimeoutPolicy(RegistryConfig.Timeouts.all(Duration.ofMillis(400)));
    assertThat(fast.tickNanos()).isEqualTo(100_000_000L);
    TimeoutPolicy tiny = new TimeoutPolicy(RegistryConfig.Timeouts.all(Duration.ofMillis(1)));
    assertThat(tiny.tickNanos()).isEqualTo(10_000_000L);
  }

  @Test
  void timeTheServerCouldNotWatchIsNeverTheClients() {
    assertThat(policy.unobservedNanos(0, S)).as("a look on time").isZero();
    assertThat(policy.unobservedNanos(0, 5 * S)).as("four seconds late: the loop stood still").isEqualTo(4 * S);
    ConnectionState state = new ConnectionState(null, 0, () -> {});
    state.bytesRead(1);
    state.requestHead(2 * S);
    state.excuse(4 * S, 10 * S);
    assertThat(state.since()).isEqualTo(6 * S);
    assertThat(policy.check(state.phase(), state.since(), -1, 35 * S)).isEqualTo(Verdict.NONE);
    assertThat(policy.check(state.phase(), state.since(), -1, 36 * S)).isEqualTo(Verdict.BODY);
    state.excuse(100 * S, 40 * S);
    assertThat(state.since()).as("never past now").isEqualTo(40 * S);
  }

  @Test
  void theConnectionMovesThroughItsPhases() {
    ConnectionState state = new ConnectionState(null, 0, () -> {});
    assertThat(state.phase()).isEqualTo(ConnectionPhase.IDLE);
    state.bytesRead(1);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.HEADERS);
    assertThat(state.since()).isEqualTo(1);
    state.bytesRead(2);
    assertThat(state.since()).as("the header clock runs from the first byte").isEqualTo(1);
    state.requestHead(3);
    state.bytesRead(4);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.BODY);
    assertThat(state.since()).as("the body clock restarts with every byte").isEqualTo(4);
    state.serverPaused(5);
    assertThat(state.since()).isEqualTo(5);
    state.requestEnd(6);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.PROCESSING);
    assertThat(state.idleSinceNanos()).isEqualTo(Long.MAX_VALUE);
    state.responseSent(7);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.IDLE);
    assertThat(state.idleSinceNanos()).isEqualTo(7);
  }

  @Test
  void anAnswerBeforeTheBodyEndsLeavesTheConnectionIdleOnceTheBodyIsIn() {
    ConnectionState state = new ConnectionState(null, 0, () -> {});
    state.bytesRead(1);
    state.requestHead(2);
    state.responseSent(3);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.BODY);
    state.requestEnd(4);
    assertThat(state.phase()).isEqualTo(ConnectionPhase.IDLE);
  }
}
