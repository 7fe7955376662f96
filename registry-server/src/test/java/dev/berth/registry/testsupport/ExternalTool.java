package dev.berth.registry.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A command-line program an end-to-end test drives, found on {@code PATH}. When it is missing the test cannot prove
 * anything: {@link CiSkipRule} decides (a failure under CI, a skip with the reason elsewhere).
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
    CiSkipRule.require(false, "'" + name + "' is not on PATH (install the Debian package " + debianPackage
        + "; .ci/run does)", environment);
    throw new IllegalStateException("unreachable: CiSkipRule.require(false, ...) always throws");
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
