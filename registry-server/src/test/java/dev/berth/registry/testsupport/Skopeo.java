package dev.berth.registry.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives skopeo (1.9, Debian 12) between OCI layout directories and registries on loopback. Registries here speak plain
 * HTTP, so TLS verification is off for every {@code docker://} side; the trust policy is skipped ({@code
 * --insecure-policy}) so a machine without {@code /etc/containers/policy.json} works. Every call is bounded twice: by
 * skopeo's own {@code --command-timeout} and by killing the process a little later.
 */
public final class Skopeo {
  /** Flags of {@code skopeo copy}. */
  public enum CopyOption {
    /** Copy an index and every manifest it lists, not just the one for this machine's platform. */
    ALL("--all"),
    /** Fail instead of converting a manifest, so the destination holds exactly the source's digests. */
    PRESERVE_DIGESTS("--preserve-digests");

    private final String flag;

    CopyOption(String flag) {
      this.flag = flag;
    }
  }

  private final ExternalTool tool;
  private final Path tmpDir;
  private final Duration timeout;

  public Skopeo(ExternalTool tool, Path tmpDir, Duration timeout) {
    this.tool = tool;
    this.tmpDir = tmpDir;
    this.timeout = timeout;
  }

  /** skopeo from PATH (failing under CI, skipping elsewhere when absent), its temp files under {@code tmpDir}. */
  public static Skopeo require(Path tmpDir) {
    return new Skopeo(ExternalTool.skopeo(), tmpDir, Duration.ofMinutes(5));
  }

  public Skopeo withTimeout(Duration newTimeout) {
    return new Skopeo(tool, tmpDir, newTimeout);
  }

  /** {@code oci:<dir>:<tag>}, an image in an OCI layout directory. */
  public static String oci(Path layout, String tag) {
    return "oci:" + layout.toAbsolutePath() + ":" + tag;
  }

  /** {@code docker://<host:port>/<repository>:<tag>} or {@code ...@<digest>} when {@code reference} is a digest. */
  public static String docker(String hostPort, String repository, String reference) {
    String separator = reference.contains(":") ? "@" : ":";
    return "docker://" + hostPort + "/" + repository + separator + reference;
  }

  /** Runs {@code skopeo copy}; fails the test with skopeo's output unless it succeeds. */
  public ProcessResult copy(String source, String destination, CopyOption... options) {
    return tryCopy(source, destination, options).assertSuccess();
  }

  /** Runs {@code skopeo copy} and returns what happened, success or not. */
  public ProcessResult tryCopy(String source, String destination, CopyOption... options) {
    List<String> command = base("copy");
    command.add("--quiet");
    command.add("--tmpdir=" + tmpDir.toAbsolutePath());
    for (CopyOption option : options) {
      command.add(option.flag);
    }
    if (isRegistry(source)) {
      command.add("--src-tls-verify=false");
    }
    if (isRegistry(destination)) {
      command.add("--dest-tls-verify=false");
    }
    command.add(source);
    command.add(destination);
    return run(command);
  }

  /** The manifest (or index) bytes exactly as the registry serves them: {@code skopeo inspect --raw}. */
  public String inspectRaw(String image) {
    List<String> command = base("inspect");
    command.add("--raw");
    if (isRegistry(image)) {
      command.add("--tls-verify=false");
    }
    command.add(image);
    return run(command).assertSuccess().stdout();
  }

  private List<String> base(String subcommand) {
    List<String> command = new ArrayList<>();
    command.add(tool.path().toString());
    command.add("--insecure-policy");
    command.add("--command-timeout=" + timeout.toSeconds() + "s");
    command.add(subcommand);
    return command;
  }

  private ProcessResult run(List<String> command) {
    return BoundedCommand.run(command, timeout.plusSeconds(30));
  }

  private static boolean isRegistry(String image) {
    return image.startsWith("docker://");
  }
}
