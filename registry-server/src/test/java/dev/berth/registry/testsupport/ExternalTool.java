package dev.berth.registry.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * A command-line program an end-to-end test drives, found on {@code PATH}. When it is missing the test cannot prove
 * anything: under {@code CI=true} that is a failure (CI installs every tool, so a missing one is a broken CI script),
 * elsewhere the test is skipped with the reason, so a laptop without the Debian packages still builds.
 */
public record ExternalTool(String name, Path path) {

  public static ExternalTool skopeo() {
    return require("skopeo", "skopeo");
  }

  public static ExternalTool dockerRegistry() {
    return require("docker-registry", "docker-registry");
  }

  /** The tool {@code name} from the Debian package {@code debianPackage}, or a failure/skip as described above. */
  public static ExternalTool require(String name, String debianPackage) {
    return require(name, debianPackage, System.getenv());
  }

  static ExternalTool require(String name, String debianPackage, Map<String, String> environment) {
    Optional<Path> found = findOnPath(name, environment.getOrDefault("PATH", ""));
    if (found.isPresent()) {
      return new ExternalTool(name, found.get());
    }
    String reason = "'" + name + "' is not on PATH (install the Debian package " + debianPackage + "; .ci/run does)";
    if (isCi(environment)) {
      throw new AssertionFailedError("CI=true but " + reason);
    }
    Assumptions.abort("skipped: " + reason);
    throw new IllegalStateException("unreachable: Assumptions.abort always throws");
  }

  static boolean isCi(Map<String, String> environment) {
    return "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
  }

  static Optional<Path> findOnPath(String name, String pathVariable) {
    if (name.contains(File.separator)) {
      throw new IllegalArgumentException("a tool name, not a path: " + name);
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
