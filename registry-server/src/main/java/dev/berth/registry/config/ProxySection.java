package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code proxy.*}: distribution's single upstream ({@code remoteurl, username, password, ttl}) or the list
 * {@code proxy.upstreams}, every entry checked key by key, so a typo fails the start naming the key.
 */
final class ProxySection {
  static final String UPSTREAMS = "proxy.upstreams";
  /** registry:2's default for {@code proxy.ttl}. */
  static final Duration DEFAULT_EVICT_AFTER = Duration.ofHours(168);
  static final Duration DEFAULT_TAG_TTL = Duration.ofMinutes(5);
  private static final Set<String> ENTRY_KEYS =
      Set.of("name", "url", "host", "usernamefile", "passwordfile", "cafile", "ttl", "dockermirror");
  // The name becomes the first path component of cached repositories, so it must be one.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");

  private ProxySection() {}

  static RegistryConfig.Proxy read(ConfigTree tree) {
    boolean single = tree.has("proxy.remoteurl");
    JsonNode list = tree.node(UPSTREAMS);
    if (single && list != null) {
      throw tree.error("proxy.remoteurl", "use either proxy.remoteurl (one upstream caching every repository) or "
          + UPSTREAMS + " (named upstreams beside pushed repositories), not both");
    }
    if (!single) {
      for (String key : List.of("username", "password", "ttl")) {
        if (tree.has("proxy." + key)) {
          throw tree.error("proxy." + key, "belongs to proxy.remoteurl, which is not set");
        }
      }
    }
    if (single) {
      return new RegistryConfig.Proxy(List.of(single(tree)));
    }
    if (list == null) {
      return RegistryConfig.Proxy.NONE;
    }
    if (!list.isArray()) {
      throw tree.error(UPSTREAMS, "expected a list of upstreams {name, url, host, ...}, found " + ConfigTree.describe(list));
    }
    List<RegistryConfig.Upstream> upstreams = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = UPSTREAMS + "[" + i + "]";
      RegistryConfig.Upstream upstream = entry(tree, path, list.get(i));
      if (!names.add(upstream.name())) {
        throw tree.error(path + ".name", "'" + upstream.name() + "' is used by another upstream");
      }
      if (!hosts.add(upstream.host())) {
        throw tree.error(path + ".host", "'" + upstream.host() + "' is used by another upstream");
      }
      if (upstream.dockerMirror() && upstreams.stream().anyMatch(RegistryConfig.Upstream::dockerMirror)) {
        throw tree.error(path + ".dockermirror", "only one upstream can answer Docker's registry-mirrors requests");
      }
      upstreams.add(upstream);
    }
    return new RegistryConfig.Proxy(upstreams);
  }

  private static RegistryConfig.Upstream single(ConfigTree tree) {
    URI url = url(tree, "proxy.remoteurl", tree.string("proxy.remoteurl").orElseThrow().strip());
    String username = tree.string("proxy.username").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    String password = tree.string("proxy.password").filter(s -> !s.isEmpty()).orElse(null);
    if ((username == null) != (password == null)) {
      throw tree.error(username == null ? "proxy.username" : "proxy.password",
          "is required together with " + (username == null ? "proxy.password" : "proxy.username"));
    }
    Duration evictAfter = duration(tree, "proxy.ttl", tree.string("proxy.ttl").orElse(null), DEFAULT_EVICT_AFTER);
    return new RegistryConfig.Upstream("", url, hostStoodFor(url),
        new RegistryConfig.UpstreamCredentials(username, password, null, null), null, Duration.ZERO, evictAfter);
  }

  private static RegistryConfig.Upstream entry(ConfigTree tree, String path, JsonNode entry) {
    if (!entry.isObject()) {
      throw tree.error(path, "expected an upstream {name, url, host, ...}, found " + ConfigTree.describe(entry));
    }
    for (var property : entry.properties()) {
      if (!ENTRY_KEYS.contains(property.getKey())) {
        throw tree.error(path, "unknown key '" + path + "." + property.getKey() + "' (known keys: "
            + String.join(", ", ENTRY_KEYS.stream().sorted().toList()) + ")");
      }
    }
    String name = text(tree, path + ".name", entry.get("name"), true);
    if (!NAME.matcher(name).matches()) {
      throw tree.error(path + ".name", "'" + name + "' is not one lowercase path component such as 'dockerhub'");
    }
    URI url = url(tree, path + ".url", text(tree, path + ".url", entry.get("url"), true));
    String host = text(tree, path + ".host", entry.get("host"), false);
    host = host == null ? hostStoodFor(url) : host.toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw tree.error(path + ".host", "'" + host + "' is not a registry host such as docker.io or ghcr.io");
    }
    Path usernameFile = file(tree, path + ".usernamefile", entry.get("usernamefile"));
    Path passwordFile = file(tree, path + ".passwordfile", entry.get("passwordfile"));
    if ((usernameFile == null) != (passwordFile == null)) {
      throw tree.error(path + (usernameFile == null ? ".usernamefile" : ".passwordfile"), "is required together with "
          + path + (usernameFile == null ? ".passwordfile" : ".usernamefile"));
    }
    Path caFile = file(tree, path + ".cafile", entry.get("cafile"));
    Duration tagTtl = duration(tree, path + ".ttl", text(tree, path + ".ttl", entry.get("ttl"), false), DEFAULT_TAG_TTL);
    boolean dockerMirror = bool(tree, path + ".dockermirror", text(tree, path + ".dockermirror", entry.get("dockermirror"), false));
    return new RegistryConfig.Upstream(name, url, host,
        new RegistryConfig.UpstreamCredentials(null, null, usernameFile, passwordFile), caFile, tagTtl, null,
        dockerMirror);
  }

  /** Docker Hub's API lives at registry-1.docker.io, but images are named docker.io/...: containerd sends that. */
  static String hostStoodFor(URI url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    if (host.equals("registry-1.docker.io") || host.equals("index.docker.io")) {
      return "docker.io";
    }
    return url.getPort() < 0 ? host : host + ":" + url.getPort();
  }

  private static URI url(ConfigTree tree, String key, String text) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
          && uri.getRawQuery() == null && uri.getRawUserInfo() == null) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw tree.error(key, "'" + text + "' is not a registry URL such as https://registry-1.docker.io (http or https, "
        + "no path, no credentials)");
  }

  private static Duration duration(ConfigTree tree, String key, String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw tree.error(key, e.getMessage());
    }
  }

  private static boolean bool(ConfigTree tree, String key, String text) {
    if (text == null) {
      return false;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw tree.error(key, "expected true or false, found '" + text + "'");
    };
  }

  private static Path file(ConfigTree tree, String key, JsonNode node) {
    String text = text(tree, key, node, false);
    return text == null ? null : tree.readableFile(key, text);
  }

  private static String text(ConfigTree tree, String key, JsonNode node, boolean required) {
    if (node == null || node.isNull() || (node.isValueNode() && node.asText().isBlank())) {
      if (required) {
        throw tree.error(key, "is required and must be a non-empty string");
      }
      return null;
    }
    if (!node.isValueNode()) {
      throw tree.error(key, "expected a single value, found " + ConfigTree.describe(node));
    }
    return node.asText().strip();
  }
}
