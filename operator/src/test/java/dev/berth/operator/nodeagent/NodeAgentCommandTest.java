package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeAgentCommandTest {
  private record Run(int exitCode, String errors) {}

  private static Run run(String... args) {
    var errors = new StringWriter();
    int code = new CommandLine(new NodeAgentCommand()).setErr(new PrintWriter(errors)).execute(args);
    return new Run(code, errors.toString());
  }

  @Test
  void refusesMissingRequiredOptions() {
    Run run = run("--node-name", "n1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errors()).contains("--state-dir").contains("--report-namespace").contains("--report-configmap");
  }

  @Test
  void refusesABadPollInterval() {
    Run run = run("--node-name", "n1", "--state-dir", "/tmp/x", "--report-namespace", "registry",
        "--report-configmap", "main-node-reports", "--poll-interval", "PT0.1S");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errors()).contains("pollInterval must be between 1s and 10m");
  }

  @Test
  void refusesAMissingNodeName() {
    Run run = run("--node-name", "", "--state-dir", "/tmp/x", "--report-namespace", "registry",
        "--report-configmap", "main-node-reports");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errors()).contains("nodeName is required");
  }

  @Test
  void explainsItself() {
    var out = new StringWriter();
    int code = new CommandLine(new NodeAgentCommand()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("--plan-file").contains("--host-root").contains("NODE_NAME");
  }
}
