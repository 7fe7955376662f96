package dev.berth.registry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code http.*}: the listen address, extra headers, TLS and the optional redirect listener. */
final class HttpSection {
  static final String DEFAULT_ADDR = ":5000";
  /** registry:2's sample config sets this header; Berth sends it unless http.headers says otherwise. */
  static final Map<String, List<String>> DEFAULT_HEADERS = Map.of("X-Content-Type-Options", List.of("nosniff"));
  private static final List<String> TLS_VERSIONS = List.of("tls1.2", "tls1.3");
  /** An absolute path of plain segments: no query, fragment, spaces or dot segments. */
  private static final Pattern DEBUG_PATH = Pattern.compile("(?!.*/\\.\\.?(/|$))(/[A-Za-z0-9._~-]+)*/?");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HttpSection() {}

  static RegistryConfig.Http read(ConfigTree tree) {
    checkNetAndPrefix(tree);
    ListenAddress addr = address(tree, "http.addr").orElseGet(() -> ListenAddress.parse(DEFAULT_ADDR));
    RegistryConfig.Tls tls = tls(tree);
    RegistryConfig.Redirect redirect = address(tree, "http.redirect.addr")
        .map(a -> new RegistryConfig.Redirect(a.host(), a.port()))
        .orElse(null);
    if (redirect != null && tls == null) {
      throw tree.error("http.redirect.addr", "needs http.tls: it redirects plain HTTP to the HTTPS port");
    }
    if (redirect != null && redirect.port() == addr.port() && addr.port() != 0) {
      throw tree.error("http.redirect.addr", "port " + addr.port() + " is already http.addr's port");
    }
    return new RegistryConfig.Http(addr.host(), addr.port(), headers(tree), tls, redirect,
        NetworkLimitsSection.timeouts(tree), NetworkLimitsSection.limits(tree), debug(tree, addr, redirect));
  }

  /** {@code http.debug.*}: its own port; the metrics switch and path only mean something with an address. */
  private static RegistryConfig.Debug debug(ConfigTree tree, ListenAddress addr, RegistryConfig.Redirect redirect) {
    Optional<ListenAddress> debugAddr = address(tree, "http.debug.addr");
    boolean prometheus = tree.bool("http.debug.prometheus.enabled").orElse(false);
    Optional<String> path = tree.string("http.debug.prometheus.path").map(String::strip).filter(p -> !p.isEmpty());
    if (debugAddr.isEmpty()) {
      if (prometheus) {
        throw tree.error("http.debug.prometheus.enabled", "needs http.debug.addr: metrics are served on the debug listener only");
      }
      return null;
    }
    int port = debugAddr.get().port();
    if (port != 0 && port == addr.port()) {
      throw tree.error("http.debug.addr", "port " + port + " is already http.addr's port");
    }
    if (port != 0 && redirect != null && port == redirect.port()) {
      throw tree.error("http.debug.addr", "port " + port + " is already http.redirect.addr's port");
    }
    String metricsPath = path.orElse(RegistryConfig.Debug.DEFAULT_PATH);
    if (!DEBUG_PATH.matcher(metricsPath).matches()) {
      throw tree.error("http.debug.prometheus.path", "'" + metricsPath + "' is not an absolute URL path such as /metrics");
    }
    return new RegistryConfig.Debug(debugAddr.get().host(), port, prometheus, metricsPath);
  }

  private static void checkNetAndPrefix(ConfigTree tree) {
    tree.string("http.net").map(String::strip).filter(net -> !net.isEmpty() && !net.equalsIgnoreCase("tcp"))
        .ifPresent(net -> {
          throw tree.error("http.net", "'" + net + "' is not supported; Berth listens on tcp");
        });
    tree.string("http.prefix").map(String::strip).filter(prefix -> !prefix.isEmpty() && !prefix.equals("/"))
        .ifPresent(prefix -> {
          throw tree.error("http.prefix", "serving under a path prefix ('" + prefix + "') is not supported; "
              + "serve at '/' and route the prefix in a proxy in front of Berth");
        });
  }

  /** The address at {@code key}; empty when absent or blank. */
  private static Optional<ListenAddress> address(ConfigTree tree, String key) {
    return tree.string(key).filter(text -> !text.isBlank()).map(text -> {
      try {
        return ListenAddress.parse(text);
      } catch (IllegalArgumentException e) {
        throw tree.error(key, e.getMessage());
      }
    });
  }

  private static Map<String, List<String>> headers(ConfigTree tree) {
    if (!tree.has("http.headers")) {
      return DEFAULT_HEADERS;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    tree.headerMap("http.headers").forEach((name, values) -> {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw tree.error("http.headers." + name, "'" + name + "' is not a valid HTTP header name");
      }
      for (String value : values) {
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          throw tree.error("http.headers." + name, "header values must not contain line breaks");
        }
      }
      headers.put(name, values);
    });
    return Collections.unmodifiableMap(headers);
  }

  /** TLS is on when a certificate is set; both files must then exist (they are reloaded when they change). */
  private static RegistryConfig.Tls tls(ConfigTree tree) {
    Optional<Path> certificate = tree.readableFile("http.tls.certificate");
    Optional<Path> key = tree.readableFile("http.tls.key");
    List<String> clientCaNames = tree.stringList("http.tls.clientcas");
    if (certificate.isEmpty()) {
      if (key.isPresent() || !clientCaNames.isEmpty()) {
        throw tree.error("http.tls.certificate", "is required when http.tls.key or http.tls.clientcas is set");
      }
      return null;
    }
    if (key.isEmpty()) {
      throw tree.error("http.tls.key", "is required when http.tls.certificate is set");
    }
    List<Path> clientCas = new ArrayList<>();
    for (int i = 0; i < clientCaNames.size(); i++) {
      clientCas.add(tree.readableFile("http.tls.clientcas[" + i + "]", clientCaNames.get(i)));
    }
    return new RegistryConfig.Tls(certificate.get(), key.get(), List.copyOf(clientCas), minimumTls(tree));
  }

  private static String minimumTls(ConfigTree tree) {
    String version = tree.string("http.tls.minimumtls").map(String::strip).filter(v -> !v.isEmpty())
        .map(v -> v.toLowerCase(Locale.ROOT)).orElse("tls1.2");
    if (version.equals("tls1.0") || version.equals("tls1.1")) {
      throw tree.error("http.tls.minimumtls", "'" + version + "' is not supported: TLS 1.0 and 1.1 are insecure; "
          + "use tls1.2 or tls1.3");
    }
    if (!TLS_VERSIONS.contains(version)) {
      throw tree.error("http.tls.minimumtls", "'" + version + "' is not a TLS version; use tls1.2 or tls1.3");
    }
    return version;
  }
}
