package dev.berth.operator.nodeaccess;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A registry address as runtimes key it: a lower-case DNS name, an IPv4 address or a bracketed IPv6 address, always
 * with a port (the registry Service's port is never implied).
 */
public record HostPort(String host, int port) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public HostPort {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1-65535");
    }
  }

  /** Parses {@code host:port}; {@code field} names the plan field in error messages. */
  public static HostPort parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidPlanException(field + " is empty; expected host:port");
    }
    if (text.contains("/")) {
      throw new InvalidPlanException(field + " \"" + text + "\" must be host:port without scheme or path");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || (text.startsWith("[") && !text.substring(0, colon).endsWith("]"))) {
      throw new InvalidPlanException(field + " \"" + text + "\" has no port; expected host:port");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidPlanException(field + " \"" + text + "\" has a port that is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidPlanException(field + " \"" + text + "\" has port " + port + ", outside 1-65535");
    }
    if (!validHost(host)) {
      throw new InvalidPlanException(field + " \"" + text
          + "\" has an invalid host; expected a lower-case DNS name, an IPv4 address or [IPv6]");
    }
    return new HostPort(host, port);
  }

  /** {@code host:port}, the registry host namespace runtimes use for directory and map keys. */
  public String authority() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }

  private static boolean validHost(String host) {
    if (host.startsWith("[")) {
      return host.endsWith("]") && validIpv6(host.substring(1, host.length() - 1));
    }
    var ipv4 = IPV4.matcher(host);
    if (ipv4.matches()) {
      for (int group = 1; group <= 4; group++) {
        if (Integer.parseInt(ipv4.group(group)) > 255) {
          return false;
        }
      }
      return true;
    }
    if (host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean validIpv6(String literal) {
    if (literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+") || !literal.contains(":")) {
      return false;
    }
    try {
      // a literal with ':' is parsed, never looked up
      return InetAddress.getByName(literal).getAddress().length == 16;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
