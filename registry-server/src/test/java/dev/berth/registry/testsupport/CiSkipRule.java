package dev.berth.registry.testsupport;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The one rule for a test whose prerequisite (a tool, a TLS provider, an OS feature) is missing: under CI that is a
 * failure, since CI installs everything and a missing piece means a broken CI script; elsewhere the test is skipped
 * with the reason, so a laptop without the Debian packages still builds. Both modules use it (the operator through
 * this module's test jar).
 *
 * <p>CI is on when the {@code CI} variable holds any value but empty, {@code false}, {@code 0}, {@code no} or
 * {@code off} (in any case): CI systems set {@code true}, {@code 1} or their own name, and a lenient reading fails
 * loudly rather than skipping quietly.
 */
public final class CiSkipRule {
  private static final Set<String> OFF = Set.of("", "false", "0", "no", "off");

  private CiSkipRule() {}

  public static boolean isCi() {
    return isCi(System.getenv());
  }

  public static boolean isCi(Map<String, String> environment) {
    String value = environment.get("CI");
    return value != null && !OFF.contains(value.strip().toLowerCase(Locale.ROOT));
  }

  /** Passes when {@code present}; otherwise fails under CI and skips elsewhere, both saying {@code reason}. */
  public static void require(boolean present, String reason) {
    require(present, reason, System.getenv());
  }

  static void require(boolean present, String reason, Map<String, String> environment) {
    if (present) {
      return;
    }
    if (isCi(environment)) {
      throw new AssertionFailedError("CI=" + environment.get("CI") + " but " + reason
          + " (under CI a missing prerequisite fails the test instead of skipping it)");
    }
    Assumptions.abort("skipped: " + reason);
  }
}
