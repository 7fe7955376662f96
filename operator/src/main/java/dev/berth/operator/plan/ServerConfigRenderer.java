package dev.berth.operator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.berth.operator.auth.AuthKeys;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.spec.ServerSpec;
import dev.berth.operator.storage.StoragePlan;
import dev.berth.operator.tls.TlsKeys;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the registry server's config.yaml from a Registry spec, using only the keys of docs/configuration.md (the
 * contract with the server). Pure: same spec, same bytes, so its hash can drive pod restarts.
 */
public final class ServerConfigRenderer {
  public static final String CONFIG_DIR = "/etc/berth";
  public static final String CONFIG_FILE = "config.yaml";
  public static final String CONFIG_PATH = CONFIG_DIR + "/" + CONFIG_FILE;
  public static final int CONTAINER_PORT = 5000;
  /** The debug listener's port, as registry:2 users know it; it serves the metrics and nothing else. */
  public static final int METRICS_PORT = 5001;
  public static final String METRICS_PATH = "/metrics";
  /** The server's environment overrides of storage.s3.accesskey and .secretkey (its REGISTRY_* convention). */
  public static final String S3_ACCESS_KEY_ENV = "REGISTRY_STORAGE_S3_ACCESSKEY";
  public static final String S3_SECRET_KEY_ENV = "REGISTRY_STORAGE_S3_SECRETKEY";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ServerConfigRenderer() {}

  public static String render(RegistrySpec spec) {
    ServerSpec server = spec.serverOrDefault();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "0.1");
    root.put("log", Map.of("level", server.logLevelOrDefault().name()));
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("addr", ":" + CONTAINER_PORT);
    if (spec.tlsOrDefault().enabled()) {
      // the Secret is mounted as a directory, so the kubelet's updates reach the server, which reloads them
      http.put("tls", Map.of("certificate", TlsKeys.MOUNT_DIR + "/" + TlsKeys.TLS_CERT,
          "key", TlsKeys.MOUNT_DIR + "/" + TlsKeys.TLS_KEY));
    }
    networkLimits(spec.getHttp(), http);
    if (spec.metricsOrDefault().enabledOrDefault()) {
      // on the pod's addresses, for Prometheus to reach; the listener has no other page (no pprof, no vars)
      http.put("debug", Map.of("addr", ":" + METRICS_PORT,
          "prometheus", Map.of("enabled", true, "path", METRICS_PATH)));
    }
    root.put("http", http);
    Map<String, Object> storage = new LinkedHashMap<>();
    S3Storage s3 = spec.storageOrDefault().getS3();
    if (s3 != null) {
      storage.put("s3", s3(s3));
    } else {
      storage.put("filesystem", Map.of("rootdirectory", StoragePlan.DATA_DIR));
    }
    storage.put("delete", Map.of("enabled", server.deleteEnabledOrDefault()));
    storage.put("maintenance", Map.of("readonly", Map.of("enabled", server.readOnlyOrDefault())));
    root.put("storage", storage);
    if (spec.uiOrDefault().enabledOrDefault()) {
      root.put("ui", Map.of("enabled", true)); // absent when off: the server's default is off
    }
    auth(spec.authOrDefault()).ifPresent(auth -> root.put("auth", auth));
    dev.berth.operator.proxy.ProxyUpstreams.serverConfig(spec.proxyOrDefault())
        .ifPresent(proxy -> root.put("proxy", proxy));
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * storage.s3 as distribution names its keys. Never the credentials: they reach the pods as environment variables
   * from the Secret ({@link #S3_ACCESS_KEY_ENV}), and without a Secret the server uses the SDK's default chain.
   */
  private static Map<String, Object> s3(S3Storage s3) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("bucket", s3.getBucket());
    keys.put("region", s3.regionOrDefault());
    if (s3.hasEndpoint()) {
      keys.put("regionendpoint", s3.getEndpoint().strip());
    }
    if (s3.getForcePathStyle() != null) {
      // unset, the server chooses as distribution does (path style with an endpoint): one rule, in one place
      keys.put("forcepathstyle", s3.getForcePathStyle());
    }
    if (s3.hasRootDirectory()) {
      keys.put("rootdirectory", s3.getRootDirectory());
    }
    if (s3.encryptOrDefault()) {
      keys.put("encrypt", true);
    }
    if (s3.skipVerifyOrDefault()) {
      keys.put("skipverify", true);
    }
    return keys;
  }

  private static java.util.Optional<Map<String, Object>> auth(dev.berth.operator.spec.AuthSpec spec) {
    if (!spec.enabled()) {
      return java.util.Optional.empty();
    }
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("htpasswd", Map.of("realm", "berth", "path", AuthKeys.MOUNT_DIR + "/" + AuthKeys.HTPASSWD));
    if (spec.modeOrDefault() == dev.berth.operator.spec.AuthMode.Token) {
      Map<String, Object> token = new LinkedHashMap<>();
      token.put("service", "berth");
      token.put("issuer", "berth");
      token.put("expiration", 300);
      token.put("signingkey", AuthKeys.MOUNT_DIR + "/" + AuthKeys.TOKEN_KEY);
      auth.put("token", token);
    }
    auth.put("anonymouspull", spec.anonymousPullOrDefault());
    // rules exist only when some user has them; a user without rules then gets an explicit allow-all rule
    boolean anyRules = spec.usersOrEmpty().stream().anyMatch(u -> !u.accessOrEmpty().isEmpty());
    java.util.List<Map<String, Object>> access = new java.util.ArrayList<>();
    for (var rule : spec.anonymousOrEmpty()) {
      access.add(rule("anonymous", rule.getRepository(), rule.getActions().stream().map(Enum::name).toList()));
    }
    if (anyRules) {
      for (var user : spec.usersOrEmpty()) {
        if (user.accessOrEmpty().isEmpty()) {
          access.add(rule(user.getName(), "*", java.util.List.of("pull", "push", "delete")));
        }
        for (var rule : user.accessOrEmpty()) {
          access.add(rule(user.getName(), rule.getRepository(),
              rule.getActions().stream().map(Enum::name).toList()));
        }
      }
    }
    if (!access.isEmpty()) {
      auth.put("access", access);
    }
    return java.util.Optional.of(auth);
  }

  /** http.timeouts and http.limits: only the keys the spec sets, so the server's defaults stay its own. */
  private static void networkLimits(dev.berth.operator.spec.HttpSpec spec, Map<String, Object> http) {
    if (spec == null) {
      return;
    }
    Map<String, Object> timeouts = new LinkedHashMap<>();
    var t = spec.getTimeouts();
    if (t != null) {
      putIfSet(timeouts, "header", t.getHeader());
      putIfSet(timeouts, "body", t.getBody());
      putIfSet(timeouts, "idle", t.getIdle());
      putIfSet(timeouts, "send", t.getSend());
    }
    Map<String, Object> limits = new LinkedHashMap<>();
    var l = spec.getLimits();
    if (l != null) {
      putIfSet(limits, "connections", l.getConnections());
      putIfSet(limits, "connectionsPerClient", l.getConnectionsPerClient());
    }
    if (!timeouts.isEmpty()) {
      http.put("timeouts", timeouts);
    }
    if (!limits.isEmpty()) {
      http.put("limits", limits);
    }
  }

  private static void putIfSet(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static Map<String, Object> rule(String account, String repository, java.util.List<String> actions) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("account", account);
    rule.put("repository", repository);
    rule.put("actions", actions);
    return rule;
  }

  /** SHA-256 of the rendered file, hex: the pod template annotation that rolls pods when the config changes. */
  public static String hash(String rendered) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
