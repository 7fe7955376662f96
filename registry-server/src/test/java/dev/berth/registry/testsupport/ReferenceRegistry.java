package dev.berth.registry.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8), the reference for the on-disk layout: started as {@code
 * docker-registry serve <config>} on a free loopback port with a generated config, serving {@code root}.
 */
public final class ReferenceRegistry implements RunningRegistry {
  private static final Duration READY_LIMIT = Duration.ofSeconds(30);

  private final LoopbackServer server;
  private final Path root;

  private ReferenceRegistry(LoopbackServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /**
   * Starts the reference registry on {@code root} (created when absent), its config and log under {@code workDir}.
   * Retries on another port when the one picked was taken meanwhile.
   */
  public static ReferenceRegistry start(Path root, Path workDir) {
    return start(root, workDir, false);
  }

  /** As above; with {@code accessLog} its log gets a line per request, e.g. to count what a client fetched. */
  public static ReferenceRegistry start(Path root, Path workDir, boolean accessLog) {
    ExternalTool binary = ExternalTool.dockerRegistry();
    LoopbackServer server = LoopbackServer.start(port -> {
      Path config = BerthConfigs.writeLoopbackYaml(workDir.resolve("docker-registry-" + port + ".yml"), root, port,
          accessLog);
      return ServerProcess.start(List.of(binary.path().toString(), "serve", config.toString()),
          workDir, workDir.resolve("docker-registry-" + port + ".log"));
    }, READY_LIMIT);
    return new ReferenceRegistry(server, root);
  }

  /** Starts the reference registry on an s3proxy bucket with its own s3 driver. */
  public static ReferenceRegistry startOnS3(S3Bucket bucket, Path workDir) {
    ExternalTool binary = ExternalTool.dockerRegistry();
    LoopbackServer server = LoopbackServer.start(port -> {
      Path config = BerthConfigs.writeS3Yaml(workDir.resolve("docker-registry-s3-" + port + ".yml"), bucket, port);
      // the Go SDK fails on a plain-HTTP endpoint when AWS_CA_BUNDLE names a bundle (some machines set it)
      return ServerProcess.start(List.of(binary.path().toString(), "serve", config.toString()),
          workDir, workDir.resolve("docker-registry-s3-" + port + ".log"), List.of("AWS_CA_BUNDLE"));
    }, READY_LIMIT);
    return new ReferenceRegistry(server, bucket.root());
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + server.port();
  }

  public int port() {
    return server.port();
  }

  @Override
  public Path root() {
    return root;
  }

  public ServerProcess process() {
    return server.process();
  }

  @Override
  public void close() {
    server.process().stop();
  }
}
