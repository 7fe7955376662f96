package dev.berth.registry.testsupport;

import java.time.Duration;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/** What a finished external command did; {@link #describe()} is meant for assertion messages. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, Duration took) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Fails the test, with the command and both output streams, unless the command exited 0. */
  public ProcessResult assertSuccess() {
    if (!succeeded()) {
      throw new AssertionFailedError("command failed: " + describe());
    }
    return this;
  }

  public String describe() {
    return String.join(" ", command) + "\n  exit " + exitCode + " after " + took.toMillis() + " ms"
        + "\n  stdout: " + abbreviate(stdout) + "\n  stderr: " + abbreviate(stderr);
  }

  private static String abbreviate(String text) {
    String trimmed = text.strip();
    // keep the end: tools print the error last
    return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
  }
}
