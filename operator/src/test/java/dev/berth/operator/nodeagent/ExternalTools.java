package dev.berth.operator.nodeagent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.berth.registry.testsupport.CiSkipRule;

/**
 * Tests that drive real programs (containerd, ctr, skopeo from Debian packages): {@link CiSkipRule} decides what a
 * missing one does (fails under CI; skips elsewhere, saying which is missing).
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
    CiSkipRule.require(condition, reason);
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
