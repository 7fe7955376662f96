package dev.berth.operator.nodeagent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that drive real programs (containerd, ctr, skopeo from Debian packages): under {@code CI=true} a missing one
 * fails the test loudly; elsewhere the test is skipped, saying which is missing.
 */
final class ExternalTools {
  private ExternalTools() {}

  static void require(String... programs) {
    var missing = new ArrayList<String>();
    for (String program : programs) {
      if (find(program) == null) {
        missing.add(program);
      }
    }
    requireThat(missing.isEmpty(), "missing on PATH: " + String.join(", ", missing)
        + " (Debian packages containerd, skopeo)");
  }

  static void requireThat(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true and " + reason);
    }
    Assumptions.abort(reason);
  }

  static Path find(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : List.of(path.split(":"))) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
