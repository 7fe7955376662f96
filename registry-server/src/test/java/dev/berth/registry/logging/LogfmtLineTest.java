package dev.berth.registry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogfmtLineTest {
  @Test
  void plainValuesStayBare() {
    assertThat(new LogfmtLine().add("method", "GET").add("status", 200).add("path", "/v2/a/b").toString())
        .isEqualTo("method=GET status=200 path=/v2/a/b");
  }

  @Test
  void valuesThatWouldBreakTheLineAreQuotedAndEscaped() {
    String line = new LogfmtLine()
        .add("empty", "")
        .add("null", null)
        .add("space", "docker/24.0 go/1.21")
        .add("quote", "say \"hi\"")
        .add("equals", "a=b")
        .add("newline", "a\nb\r\tc")
        .add("backslash", "a\\b")
        .add("bell", "\u0007")
        .toString();

    assertThat(line).isEqualTo("empty=\"\" null=\"\" space=\"docker/24.0 go/1.21\" quote=\"say \\\"hi\\\"\" "
        + "equals=\"a=b\" newline=\"a\\nb\\r\\tc\" backslash=\"a\\\\b\" bell=\"\\u0007\"");
    assertThat(line).doesNotContain("\n");
  }

  @Test
  void unicodeIsKeptAsIs() {
    assertThat(new LogfmtLine().add("ua", "café").toString()).isEqualTo("ua=café");
  }
}
