package dev.berth.registry.logging;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the access log records about one request. {@code user} is the authenticated subject (empty when anonymous or
 * unknown); {@code bytes} is the response body size sent; {@code time} is when the request arrived; {@code duration}
 * runs until the response was written, and is logged in milliseconds with microsecond precision.
 */
public record AccessLogLine(Instant time, String method, String path, int status, long bytes, Duration duration,
    String client, String user, String userAgent) {

  /** Query parameters whose values are credentials; their values never reach a log line. */
  private static final Set<String> SECRET_PARAMETERS =
      Set.of("password", "passwd", "token", "access_token", "refresh_token", "secret", "client_secret");

  /** One logfmt line; {@code fields} (config {@code log.fields}) come first, so request fields win in duplicates. */
  public String toLogfmt(Map<String, String> fields) {
    LogfmtLine line = new LogfmtLine();
    fields.forEach(line::add);
    return line.add("time", time.truncatedTo(ChronoUnit.MILLIS).toString())
        .add("method", method)
        .add("path", redactSecrets(path))
        .add("status", status)
        .add("bytes", bytes)
        .add("duration_ms", String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e6))
        .add("client", client)
        .add("user", user)
        .add("user_agent", userAgent)
        .toString();
  }

  static String redactSecrets(String path) {
    if (path == null) {
      return "";
    }
    int query = path.indexOf('?');
    if (query < 0) {
      return path;
    }
    StringBuilder result = new StringBuilder(path.length()).append(path, 0, query + 1);
    String[] parameters = path.substring(query + 1).split("&", -1);
    for (int i = 0; i < parameters.length; i++) {
      String parameter = parameters[i];
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      if (equals >= 0 && SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        parameter = name + "=REDACTED";
      }
      result.append(i == 0 ? "" : "&").append(parameter);
    }
    return result.toString();
  }
}
