package dev.berth.registry.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured (logfmt) line per request on the {@code dev.berth.registry.access} logger. Never logs headers
 * that carry credentials, nor query strings (they may carry upload state).
 */
final class AccessLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.berth.registry.access");

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  void log(Exchange exchange, int status, long bytes, long durationNanos) {
    if (!enabled || !ACCESS.isInfoEnabled()) {
      return;
    }
    ACCESS.info("method={} path={} status={} bytes={} duration_ms={} client={} user={} agent=\"{}\"",
        exchange.method().name(), exchange.path(), status, bytes, String.format("%.1f", durationNanos / 1e6),
        exchange.client().getHostAddress(), exchange.user(), sanitize(exchange.header(HttpHeaderNames.USER_AGENT)));
  }

  private static String sanitize(String value) {
    return value == null ? "" : value.replace('"', '\'').replace('\n', ' ');
  }
}
