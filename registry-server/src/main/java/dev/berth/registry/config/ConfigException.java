package dev.berth.registry.config;

/**
 * A configuration problem a human can fix: the message names the key (and the environment variable or flag that set
 * it, when one did) and says what is wrong. Always one line, since the command line prints it as the only output.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(oneLine(message));
  }

  public ConfigException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message == null ? "invalid configuration" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
