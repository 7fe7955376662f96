package dev.berth.registry.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives skopeo (1.9, Debian 12) between OCI layout directories and registries on loopback. How skopeo reaches every
 * {@code docker://} side is an {@link Access}: by default plain HTTP (TLS verification off) and anonymous; {@link
 * #with(Access)} switches to verified HTTPS with a CA directory and credentials. The trust policy is skipped ({@code
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

  /**
   * How skopeo talks to a registry: with TLS verification or not, trusting the CAs in {@code certDir} (skopeo reads
   * every {@code *.crt} there, e.g. {@code ca.crt}; null: only the system's trust), as {@code username} with {@code
   * password}, or anonymously when {@code username} is null (then {@code --no-creds}, so no auth file of the machine
   * is used either).
   */
  public record Access(boolean tlsVerify, Path certDir, String username, String password) {
    public Access {
      if (username != null && (username.isEmpty() || username.contains(":") || password == null)) {
        throw new IllegalArgumentException("credentials need a user name without ':' and a password");
      }
      if (certDir != null && !tlsVerify) {
        throw new IllegalArgumentException("a cert dir only matters with TLS verification on");
      }
    }

    /** Plain HTTP, or HTTPS without verifying the certificate; anonymous. What every test used before TLS existed. */
    public static Access unverified() {
      return new Access(false, null, null, null);
    }

    /** HTTPS, verifying the certificate against the CAs in {@code certDir}; anonymous. */
    public static Access verified(Path certDir) {
      return new Access(true, certDir, null, null);
    }

    /** HTTPS, verifying the certificate against the system's trust only (no cert dir); anonymous. */
    public static Access verifiedBySystemTrust() {
      return new Access(true, null, null, null);
    }

    public Access withCredentials(String newUsername, String newPassword) {
      return new Access(tlsVerify, certDir, newUsername, newPassword);
    }

    public Access anonymous() {
      return new Access(tlsVerify, certDir, null, null);
    }

    /** The flags for one side: {@code prefix} is "src-", "dest-" or "" (inspect). */
    List<String> flags(String prefix) {
      List<String> flags = new ArrayList<>();
      flags.add("--" + prefix + "tls-verify=" + tlsVerify);
      if (certDir != null) {
        flags.add("--" + prefix + "cert-dir=" + certDir.toAbsolutePath());
      }
      flags.add(username == null ? "--" + prefix + "no-creds" : "--" + prefix + "creds=" + username + ":" + password);
      return flags;
    }
  }

  private final ExternalTool tool;
  private final Path tmpDir;
  private final Duration timeout;
  private final Access access;

  public Skopeo(ExternalTool tool, Path tmpDir, Duration timeout) {
    this(tool, tmpDir, timeout, Access.unverified());
  }

  private Skopeo(ExternalTool tool, Path tmpDir, Duration timeout, Access access) {
    this.tool = tool;
    this.tmpDir = tmpDir;
    this.timeout = timeout;
    this.access = access;
  }

  /** skopeo from PATH (failing under CI, skipping elsewhere when absent), its temp files under {@code tmpDir}. */
  public static Skopeo require(Path tmpDir) {
    return new Skopeo(ExternalTool.skopeo(), tmpDir, Duration.ofMinutes(5));
  }

  public Skopeo withTimeout(Duration newTimeout) {
    return new Skopeo(tool, tmpDir, newTimeout, access);
  }

  /** The same skopeo reaching every {@code docker://} side with {@code newAccess}. */
  public Skopeo with(Access newAccess) {
    return new Skopeo(tool, tmpDir, timeout, newAccess);
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
      command.addAll(access.flags("src-"));
    }
    if (isRegistry(destination)) {
      command.addAll(access.flags("dest-"));
    }
    command.add(source);
    command.add(destination);
    return run(command);
  }

  /** The manifest (or index) bytes exactly as the registry serves them: {@code skopeo inspect --raw}. */
  public String inspectRaw(String image) {
    return tryInspectRaw(image).assertSuccess().stdout();
  }

  /** {@code skopeo inspect --raw}, returning what happened, success or not. */
  public ProcessResult tryInspectRaw(String image) {
    List<String> command = base("inspect");
    command.add("--raw");
    if (isRegistry(image)) {
      command.addAll(access.flags(""));
    }
    command.add(image);
    return run(command);
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
