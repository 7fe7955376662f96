package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running server process a test started, its stdout and stderr in one log file. Stopped by its own pid only:
 * SIGTERM first, SIGKILL when it has not exited within the grace period; {@link #kill()} is kill -9 straight away.
 */
public final class ServerProcess {
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final Process process;
  private final Path log;
  private final List<String> command;

  private ServerProcess(Process process, Path log, List<String> command) {
    this.process = process;
    this.log = log;
    this.command = command;
  }

  /** Starts {@code command} in {@code workDir}, appending its output to {@code log}. */
  public static ServerProcess start(List<String> command, Path workDir, Path log) {
    return start(command, workDir, log, List.of());
  }

  /** The same without the environment variables {@code unset}. */
  public static ServerProcess start(List<String> command, Path workDir, Path log, List<String> unset) {
    return start(command, workDir, log, Map.of(), unset);
  }

  /** The same with the environment variables {@code set} added and {@code unset} removed. */
  public static ServerProcess start(List<String> command, Path workDir, Path log, Map<String, String> set,
      List<String> unset) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      unset.forEach(builder.environment()::remove);
      builder.environment().putAll(set);
      Process process = builder
          .directory(workDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new ServerProcess(process, log, List.copyOf(command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The running process's arguments as the kernel holds them. ProcessHandle.Info#arguments comes back empty under
   * load, so assertions about the JVM's options read Linux's per-process command line instead.
   */
  public List<String> runningCommandLine() {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline")),
          StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the command line of pid " + pid(), e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The command and the end of the log, for assertion messages. */
  public String diagnostics() {
    String text;
    try {
      text = Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      text = "(log unreadable: " + e + ")";
    }
    String tail = text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    return "command: " + String.join(" ", command) + "\nlog " + log + ":\n" + tail;
  }

  /** SIGTERM, then SIGKILL after the grace period; waits until the process is gone. Returns its exit code. */
  public int stop() {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    if (!waitFor(GRACE)) {
      process.destroyForcibly();
      waitFor(GRACE);
    }
    return process.exitValue();
  }

  /** kill -9: the process gets no chance to clean up. Waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    if (!waitFor(GRACE)) {
      throw new IllegalStateException("pid " + pid() + " survived SIGKILL for " + GRACE);
    }
  }

  private boolean waitFor(Duration limit) {
    try {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
