package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * Runs an external command to completion within a time limit. Output goes to files rather than pipes so a chatty
 * tool can never block on a full pipe; a command that overruns is killed (with its children) and fails the test.
 */
public final class BoundedCommand {
  private BoundedCommand() {}

  public static ProcessResult run(List<String> command, Duration timeout) {
    return run(command, timeout, Path.of("/dev/null"));
  }

  /** As above, with {@code input} as the command's standard input (tools that read only stdin). */
  public static ProcessResult run(List<String> command, Duration timeout, Path input) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("berth-cmd-", ".out");
      stderr = Files.createTempFile("berth-cmd-", ".err");
      long started = System.nanoTime();
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(input.toFile()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      ProcessResult result = new ProcessResult(List.copyOf(command), finished ? process.exitValue() : -1,
          new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - started));
      if (!finished) {
        throw new AssertionFailedError("command did not finish within " + timeout + ": " + result.describe());
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
