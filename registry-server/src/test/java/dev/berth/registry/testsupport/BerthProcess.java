package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * Berth in its own JVM, started the way users start it ({@code Main serve <config.yml>}, here with the test class
 * path), so a test can limit its heap or kill it with SIGKILL. Started on a free loopback port, stopped by its pid.
 */
public final class BerthProcess implements RunningRegistry {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final ServerProcess process;
  private final int port;
  private final Path root;

  private BerthProcess(ServerProcess process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /** Starts Berth on {@code root} with extra JVM options (e.g. {@code -Xmx128m}); config and log under {@code workDir}. */
  public static BerthProcess start(Path root, Path workDir, String... jvmOptions) {
    AssertionFailedError lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = LoopbackPorts.free();
      Path config = workDir.resolve("berth-" + port + ".yml");
      try {
        Files.createDirectories(root);
        Files.writeString(config, BerthConfigs.loopbackYaml(root, port));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(jvmOptions));
      command.add("-cp");
      command.add(testClassPath());
      command.add("dev.berth.registry.Main");
      command.add("serve");
      command.add(config.toString());
      ServerProcess process = ServerProcess.start(command, workDir, workDir.resolve("berth-" + port + ".log"));
      try {
        RegistryProbe.awaitReady("127.0.0.1:" + port, READY_LIMIT, process::isAlive, process::diagnostics);
        return new BerthProcess(process, port, root);
      } catch (AssertionFailedError e) {
        process.stop();
        lastFailure = e;
        if (!process.diagnostics().contains("Address already in use")) {
          break;
        }
      }
    }
    throw lastFailure;
  }

  /** The class path of this test JVM: surefire names it in a property, since java.class.path is its booter jar. */
  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  @Override
  public Path root() {
    return root;
  }

  public ServerProcess process() {
    return process;
  }

  /** kill -9. */
  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.stop();
  }
}
