package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class CiSkipRuleTest {
  @Test
  void everyTruthyCiValueCountsAndOnlyFalsyOnesDoNot() {
    for (String on : List.of("true", "TRUE", "True", "1", "yes", "on", " true ", "woodpecker")) {
      assertThat(CiSkipRule.isCi(Map.of("CI", on))).as("CI=" + on).isTrue();
    }
    for (String off : List.of("", "  ", "false", "FALSE", "0", "no", "off")) {
      assertThat(CiSkipRule.isCi(Map.of("CI", off))).as("CI='" + off + "'").isFalse();
    }
    assertThat(CiSkipRule.isCi(new HashMap<>())).as("unset").isFalse();
  }

  @Test
  void aMissingPrerequisiteFailsUnderCiAndSkipsElsewhere() {
    assertThatThrownBy(() -> CiSkipRule.require(false, "skopeo is not installed", Map.of("CI", "1")))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("skopeo is not installed").hasMessageContaining("CI=1");
    assertThatThrownBy(() -> CiSkipRule.require(false, "skopeo is not installed", Map.of()))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("skopeo is not installed");
    CiSkipRule.require(true, "never said", Map.of("CI", "true"));
  }
}
