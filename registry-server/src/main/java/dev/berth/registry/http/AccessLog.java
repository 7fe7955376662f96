package dev.berth.registry.http;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.logging.AccessLogLine;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a finished exchange into one access log line ({@link AccessLogLine}, written by
 * {@link dev.berth.registry.logging.AccessLog}). Never logs headers that carry credentials, nor query strings (they
 * may carry upload state): the path logged is the decoded path alone.
 */
final class AccessLog {
  private final dev.berth.registry.logging.AccessLog log;

  AccessLog(RegistryConfig.Log config) {
    this.log = new dev.berth.registry.logging.AccessLog(config == null ? new RegistryConfig.Log("info", true, null) : config);
  }

  void log(Exchange exchange, int status, long bytes, long durationNanos) {
    if (!log.enabled()) {
      return;
    }
    Duration duration = Duration.ofNanos(durationNanos);
    log.record(new AccessLogLine(Instant.now().minus(duration), exchange.method().name(), exchange.path(), status, bytes,
        duration, exchange.client().getHostAddress(), exchange.user(), exchange.header(HttpHeaderNames.USER_AGENT)));
  }
}
