package dev.berth.registry.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Berth in its own JVM, started the way users start it ({@code Main serve <config.yml>}, here with the test class
 * path), so a test can limit its heap or kill it with SIGKILL. Started on a free loopback port, stopped by its pid.
 */
public final class BerthProcess implements RunningRegistry {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  private final LoopbackServer server;
  private final Path root;

  private BerthProcess(LoopbackServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Starts Berth on {@code root} with extra JVM options (e.g. {@code -Xmx128m}); config and log under {@code workDir}. */
  public static BerthProcess start(Path root, Path workDir, String... jvmOptions) {
    return start(root, workDir, Map.of(), jvmOptions);
  }

  /** The same with extra environment variables (REGISTRY_* overrides of single keys). */
  public static BerthProcess start(Path root, Path workDir, Map<String, String> env, String... jvmOptions) {
    LoopbackServer server = LoopbackServer.start(port -> {
      Path config = BerthConfigs.writeLoopbackYaml(workDir.resolve("berth-" + port + ".yml"), root, port);
      List<String> command = serveCommand(config, jvmOptions);
      return ServerProcess.start(command, workDir, workDir.resolve("berth-" + port + ".log"), env, List.of());
    }, READY_LIMIT);
    return new BerthProcess(server, root);
  }

  /**
   * {@code java [jvmOptions] -cp <test class path> dev.berth.registry.Main serve <config>}, with the packages the jar's
   * manifest opens under {@code java -jar}.
   */
  private static List<String> serveCommand(Path config, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("--add-opens", "java.base/java.security=ALL-UNNAMED", "--add-opens",
        "java.base/sun.security.provider=ALL-UNNAMED"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", testClassPath(), "dev.berth.registry.Main", "serve", config.toString()));
    return command;
  }

  /** Starts Berth on an s3proxy bucket, as {@link #start} does on a directory. */
  public static BerthProcess startOnS3(S3Bucket bucket, Path workDir, String... jvmOptions) {
    return startOnS3(bucket, workDir, Map.of(), jvmOptions);
  }

  /** The same with extra environment variables (REGISTRY_* overrides of single keys). */
  public static BerthProcess startOnS3(S3Bucket bucket, Path workDir, Map<String, String> env,
      String... jvmOptions) {
    LoopbackServer server = LoopbackServer.start(port -> {
      Path config = BerthConfigs.writeS3Yaml(workDir.resolve("berth-s3-" + port + ".yml"), bucket, port);
      List<String> command = serveCommand(config, jvmOptions);
      return ServerProcess.start(command, workDir, workDir.resolve("berth-s3-" + port + ".log"), env, List.of());
    }, READY_LIMIT);
    return new BerthProcess(server, bucket.root());
  }

  /** The class path of this test JVM: surefire names it in a property, since java.class.path is its booter jar. */
  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + server.port();
  }

  @Override
  public Path root() {
    return root;
  }

  public ServerProcess process() {
    return server.process();
  }

  /** kill -9. */
  public void kill() {
    server.process().kill();
  }

  @Override
  public void close() {
    server.process().stop();
  }
}
