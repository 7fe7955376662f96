package dev.berth.registry.logging;

/**
 * Builds one logfmt line ({@code key=value key2="quoted value"}): values with spaces, quotes, '=' or control
 * characters are quoted and escaped, so one request is always exactly one parseable line.
 */
public final class LogfmtLine {
  private final StringBuilder line = new StringBuilder(160);

  public LogfmtLine add(String key, String value) {
    if (!line.isEmpty()) {
      line.append(' ');
    }
    line.append(key).append('=');
    appendValue(value == null ? "" : value);
    return this;
  }

  public LogfmtLine add(String key, long value) {
    return add(key, Long.toString(value));
  }

  private void appendValue(String value) {
    if (!needsQuotes(value)) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }

  private static boolean needsQuotes(String value) {
    if (value.isEmpty()) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return line.toString();
  }
}
