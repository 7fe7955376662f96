package dev.berth.registry.http.connection;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections the process's descriptor limit (RLIMIT_NOFILE) affords: each connection may hold a file
 * besides its socket (a blob being sent, an upload being written), and the process needs some for itself (jars,
 * logs, the listener, directory walks). Staying under it is what keeps {@code accept} from failing with EMFILE.
 */
public final class DescriptorBudget {
  /** Descriptors kept for the process itself. */
  static final long RESERVED = 256;
  /** Used when the platform does not say (not a Unix JVM). */
  static final int FALLBACK_CAP = 4096;
  private static final int MINIMUM_CAP = 16;

  private DescriptorBudget() {}

  /** The connection cap for {@code maxDescriptors}: half of what is left after the reserve. */
  public static int connectionCap(long maxDescriptors) {
    long cap = (maxDescriptors - RESERVED) / 2;
    return (int) Math.max(MINIMUM_CAP, Math.min(Integer.MAX_VALUE, cap));
  }

  /** The cap for this process, from its own descriptor limit. */
  public static int connectionCap() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return connectionCap(unix.getMaxFileDescriptorCount());
    }
    return FALLBACK_CAP;
  }
}
