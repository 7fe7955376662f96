package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bound every test's external command relies on: a hang is killed at the limit and reported as a hang. */
class BoundedCommandTest {
  @Test
  void aProgramThatHangsIsKilledAtTheLimit() {
    long start = System.nanoTime();
    BoundedCommand.Result result = BoundedCommand.run(Duration.ofMillis(300), "sleep", "60");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(result.timedOut()).isTrue();
    assertThat(result.ok()).isFalse();
    assertThat(result.output()).contains("timed out after PT0.3S: sleep 60");
  }

  @Test
  void aHangIsNeitherTheExpectedFailureNorASuccess() {
    assertThatThrownBy(() -> BoundedCommand.fail(Duration.ofMillis(300), "sleep", "60"))
        .hasMessageContaining("expected a failure, got a hang");
    assertThatThrownBy(() -> BoundedCommand.succeed(Duration.ofMillis(300), "sleep", "60"))
        .hasMessageContaining("timed out");
  }

  @Test
  void muchOutputDoesNotBlockTheProgramAndIsKept() {
    // more than a pipe buffer holds: a reader that waited before reading would deadlock here
    String output = BoundedCommand.succeed(Duration.ofSeconds(30), "sh", "-c",
        "yes berth | head -c 1000000; echo >&2 end");

    assertThat(output).hasSize(1_000_000 + "end\n".length()).startsWith("berth\nberth\n").endsWith("end\n");
  }

  @Test
  void exitCodesAndStandardErrorAreReported() {
    assertThat(BoundedCommand.fail(Duration.ofSeconds(30), "sh", "-c", "echo nope >&2; exit 3")).isEqualTo("nope\n");
    assertThatThrownBy(() -> BoundedCommand.succeed(Duration.ofSeconds(30), "sh", "-c", "exit 4"))
        .hasMessageContaining("failed (4)");
    assertThatThrownBy(() -> BoundedCommand.fail(Duration.ofSeconds(30), "true"))
        .hasMessageContaining("succeeded but should have failed");
  }
}
