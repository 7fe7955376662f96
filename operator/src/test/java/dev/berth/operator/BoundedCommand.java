package dev.berth.operator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion within a time limit, output and errors merged into one text. The output goes to a
 * file, not a pipe, so waiting is bounded however much the program prints or however long it hangs: on the limit the
 * program is killed and the result says so. Every external command a test runs goes through here.
 */
public final class BoundedCommand {
  /** exitCode is -1 when the program was killed at the limit. */
  public record Result(int exitCode, boolean timedOut, String output) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }
  }

  private BoundedCommand() {}

  public static Result run(Duration timeout, String... command) {
    return run(timeout, List.of(command));
  }

  public static Result run(Duration timeout, List<String> command) {
    try {
      Path log = Files.createTempFile("berth-cmd", ".log");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          return new Result(-1, true, "timed out after " + timeout + ": " + String.join(" ", command) + "\n"
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), false, Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** The program's output; an AssertionError naming the command when it failed or hit the limit. */
  public static String succeed(Duration timeout, String... command) {
    Result result = run(timeout, command);
    if (result.timedOut()) {
      throw new AssertionError(result.output());
    }
    if (result.exitCode() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (" + result.exitCode() + "):\n" + result.output());
    }
    return result.output();
  }

  /** The program's output; an AssertionError when it succeeded, or hit the limit instead of failing. */
  public static String fail(Duration timeout, String... command) {
    Result result = run(timeout, command);
    if (result.timedOut()) {
      throw new AssertionError("expected a failure, got a hang: " + result.output());
    }
    if (result.exitCode() == 0) {
      throw new AssertionError(String.join(" ", command) + " succeeded but should have failed:\n" + result.output());
    }
    return result.output();
  }
}
