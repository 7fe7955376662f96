package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8), the reference for the on-disk layout: started as {@code
 * docker-registry serve <config>} on a free loopback port with a generated config, serving {@code root}.
 */
public final class ReferenceRegistry implements RunningRegistry {
  private static final Duration READY_LIMIT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  private final ServerProcess process;
  private final int port;
  private final Path root;

  private ReferenceRegistry(ServerProcess process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /**
   * Starts the reference registry on {@code root} (created when absent), its config and log under {@code workDir}.
   * Retries on another port when the one picked was taken meanwhile.
   */
  public static ReferenceRegistry start(Path root, Path workDir) {
    ExternalTool binary = ExternalTool.dockerRegistry();
    AssertionFailedError lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = LoopbackPorts.free();
      Path config = writeConfig(workDir.resolve("docker-registry-" + port + ".yml"), port, root);
      ServerProcess process = ServerProcess.start(List.of(binary.path().toString(), "serve", config.toString()),
          workDir, workDir.resolve("docker-registry-" + port + ".log"));
      try {
        RegistryProbe.awaitReady("127.0.0.1:" + port, READY_LIMIT, process::isAlive, process::diagnostics);
        return new ReferenceRegistry(process, port, root);
      } catch (AssertionFailedError e) {
        process.stop();
        lastFailure = e;
        if (!process.diagnostics().contains("address already in use")) {
          break;
        }
      }
    }
    throw lastFailure;
  }

  private static Path writeConfig(Path file, int port, Path root) {
    // The keys distribution documents; health checks off so nothing runs in the background of a short test.
    String yaml = """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        http:
          addr: 127.0.0.1:%d
          secret: berth-tests-only
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
          cache:
            blobdescriptor: inmemory
        """.formatted(port, root.toAbsolutePath());
    try {
      Files.createDirectories(root);
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public Path root() {
    return root;
  }

  public ServerProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop();
  }
}
