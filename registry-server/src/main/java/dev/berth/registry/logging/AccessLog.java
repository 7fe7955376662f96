package dev.berth.registry.logging;

import dev.berth.registry.config.RegistryConfig;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one logfmt line per request on its own logger, {@value #LOGGER_NAME}, so it can be routed and
 * switched apart from the application log. Off when {@code log.accesslog.disabled} is true.
 */
public final class AccessLog {
  public static final String LOGGER_NAME = "dev.berth.registry.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private final boolean enabled;
  private final Map<String, String> fields;

  public AccessLog(RegistryConfig.Log config) {
    this.enabled = config.accessLog();
    this.fields = config.fields() == null ? Map.of() : config.fields();
  }

  /** Whether {@link #record} writes anything; lets the HTTP layer skip collecting what nobody reads. */
  public boolean enabled() {
    return enabled && LOG.isInfoEnabled();
  }

  public void record(AccessLogLine line) {
    if (enabled()) {
      LOG.info(line.toLogfmt(fields));
    }
  }
}
