package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code operator.jar node-agent ...} reaches the agent's command line. */
class MainTest {

  @Test
  void nodeAgentHelpIsTheAgentsCommandLine() {
    String out = captureOut(() -> assertThat(Main.nodeAgent(new String[] {"--help"})).isZero());
    assertThat(out).contains("node-agent").contains("--state-dir").contains("--report-configmap");
  }

  @Test
  void aNodeAgentWithoutItsRequiredOptionsIsAUsageError() {
    String err = captureErr(() -> assertThat(Main.nodeAgent(new String[] {"--report-namespace", "x"})).isEqualTo(2));
    assertThat(err).contains("--state-dir");
  }

  private static String captureOut(Runnable action) {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String captureErr(Runnable action) {
    PrintStream old = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
