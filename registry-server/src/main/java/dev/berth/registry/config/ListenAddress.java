package dev.berth.registry.config;

import io.netty.util.NetUtil;
import java.util.regex.Pattern;

/**
 * A listen address written as distribution writes it: {@code [host]:port}, where an empty host means every IPv4
 * interface ({@code :5000} is {@code 0.0.0.0:5000}) and IPv6 literals are bracketed ({@code [::]:5000}).
 * Port 0 asks the system for a free port.
 */
public record ListenAddress(String host, int port) {
  public static final String ALL_INTERFACES = "0.0.0.0";
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  /** Parses {@code text}; the exception's message says what is wrong, for the caller to put next to the key. */
  public static ListenAddress parse(String text) {
    String value = text == null ? "" : text.strip();
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("'" + value + "' is not [host]:port; write ':5000' or '127.0.0.1:5000'");
    }
    String host = value.substring(0, colon);
    String portText = value.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (!NetUtil.isValidIpV6Address(host)) {
        throw new IllegalArgumentException("'" + value + "': '" + host + "' is not an IPv6 address");
      }
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("'" + value + "': put an IPv6 address in brackets, as in '[::1]:5000'");
    } else if (host.isEmpty()) {
      host = ALL_INTERFACES;
    } else if (!NetUtil.isValidIpV4Address(host) && !HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + value + "': '" + host + "' is neither an IP address nor a host name");
    }
    return new ListenAddress(host, parsePort(value, portText));
  }

  private static int parsePort(String value, String portText) {
    if (!portText.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("'" + value + "': port '" + portText + "' is not a number from 0 to 65535");
    }
    int port = Integer.parseInt(portText);
    if (port > 65535) {
      throw new IllegalArgumentException("'" + value + "': port " + port + " is out of range 0-65535");
    }
    return port;
  }

  /** The address as it can be written back into config.yml. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
