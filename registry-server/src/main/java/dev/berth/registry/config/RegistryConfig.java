package dev.berth.registry.config;

import dev.berth.registry.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's whole configuration, as read from a distribution-shaped config.yml (see docs/configuration.md) with
 * environment and flag overrides applied. Validated on construction by {@link ConfigLoader}; the rest of the server
 * trusts it.
 */
public record RegistryConfig(Log log, Http http, Storage storage, Auth auth, Gc gc, Proxy proxy,
    Notifications notifications, Ui ui) {

  /** Without the web UI. */
  public RegistryConfig(Log log, Http http, Storage storage, Auth auth, Gc gc, Proxy proxy,
      Notifications notifications) {
    this(log, http, storage, auth, gc, proxy, notifications, Ui.DISABLED);
  }

  /** Without event notifications. */
  public RegistryConfig(Log log, Http http, Storage storage, Auth auth, Gc gc, Proxy proxy) {
    this(log, http, storage, auth, gc, proxy, Notifications.NONE);
  }

  /** Without garbage collection in the server (the CLI can still collect) and without a pull-through cache. */
  public RegistryConfig(Log log, Http http, Storage storage, Auth auth) {
    this(log, http, storage, auth, Gc.DEFAULTS, Proxy.NONE);
  }

  /** Without a pull-through cache. */
  public RegistryConfig(Log log, Http http, Storage storage, Auth auth, Gc gc) {
    this(log, http, storage, auth, gc, Proxy.NONE);
  }

  /** Without garbage collection in the server. */
  public RegistryConfig(Log log, Http http, Storage storage, Auth auth, Proxy proxy) {
    this(log, http, storage, auth, Gc.DEFAULTS, proxy);
  }

  public RegistryConfig withProxy(Proxy newProxy) {
    return new RegistryConfig(log, http, storage, auth, gc, newProxy, notifications, ui);
  }

  public RegistryConfig withNotifications(Notifications newNotifications) {
    return new RegistryConfig(log, http, storage, auth, gc, proxy, newNotifications, ui);
  }

  public RegistryConfig withUi(Ui newUi) {
    return new RegistryConfig(log, http, storage, auth, gc, proxy, notifications, newUi);
  }

  /** {@code ui.enabled}: the web UI at {@code /ui/} and its API under {@code /v2/_berth/} (docs/day-two.md). */
  public record Ui(boolean enabled) {
    public static final Ui DISABLED = new Ui(false);
  }

  /** {@code notifications.endpoints}: the enabled endpoints events are sent to (docs/day-two.md). */
  public record Notifications(List<NotificationEndpoint> endpoints) {
    public static final Notifications NONE = new Notifications(List.of());

    public Notifications {
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * One receiver, as in distribution ({@code name, url, headers, timeout, threshold, backoff, ignoredmediatypes,
   * ignore}) plus Berth's bounds: {@code queueSize} events wait at most (more are dropped), a batch is retried at
   * most {@code maxRetries} times with a delay doubling from {@code backoff} up to {@code maxBackoff} once
   * {@code threshold} attempts in a row failed, and up to {@code batchSize} waiting events share one envelope.
   */
  public record NotificationEndpoint(String name, java.net.URI url, Map<String, List<String>> headers,
      Duration timeout, int threshold, Duration backoff, Duration maxBackoff, int maxRetries, int queueSize,
      int batchSize, java.util.Set<String> ignoredMediaTypes, java.util.Set<String> ignoredActions) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_THRESHOLD = 10;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_RETRIES = 20;
    public static final int DEFAULT_QUEUE_SIZE = 1000;
    public static final int DEFAULT_BATCH_SIZE = 1;

    public NotificationEndpoint {
      headers = Map.copyOf(headers);
      ignoredMediaTypes = java.util.Set.copyOf(ignoredMediaTypes);
      ignoredActions = java.util.Set.copyOf(ignoredActions);
    }
  }

  /**
   * {@code gc.*}: run a collection every {@code interval} when enabled (docs/gc.md). {@code gracePeriod}: nothing
   * younger is deleted; {@code uploadMaxAge}: upload sessions idle this long are removed.
   */
  public record Gc(boolean enabled, Duration interval, Duration gracePeriod, boolean deleteUntagged, boolean dryRun,
      Duration uploadMaxAge, Retention retention) {
    public static final Gc DEFAULTS = new Gc(false, Duration.ofHours(1), Duration.ofHours(1), false, false,
        Duration.ofHours(24), Retention.NONE);
  }

  /**
   * {@code gc.retention.*} (zot's shape): a repository takes the first policy whose glob matches; without one it keeps
   * everything. {@code delay}: untagged manifests a policy deletes are kept this long.
   */
  public record Retention(Duration delay, List<RetentionPolicy> policies) {
    public static final Retention NONE = new Retention(Duration.ofHours(24), List.of());

    public Retention {
      policies = List.copyOf(policies);
    }
  }

  /**
   * One policy: with keepTags, a tag kept by none of its rules is deleted; deleteUntagged deletes untagged manifests
   * older than the retention delay (index children and referrers of kept manifests stay).
   */
  public record RetentionPolicy(List<String> repositories, boolean deleteUntagged, List<KeepTags> keepTags) {
    public RetentionPolicy {
      repositories = List.copyOf(repositories);
      keepTags = List.copyOf(keepTags);
    }
  }

  /**
   * A keep rule: tags matching one of {@code patterns} (regular expressions; none = every tag) are kept when they are
   * among the {@code mostRecentlyPushedCount} latest of them, or pushed or pulled within the durations; a rule with
   * none of these keeps every tag it matches. Null members are unset.
   */
  public record KeepTags(List<String> patterns, Integer mostRecentlyPushedCount, Duration pushedWithin,
      Duration pulledWithin) {
    public KeepTags {
      patterns = List.copyOf(patterns);
    }
  }

  /** {@code log.*}: level is one of error, warn, info, debug. */
  public record Log(String level, boolean accessLog, Map<String, String> fields) {}

  /**
   * {@code http.*}: where to listen, extra headers, optional TLS and optional plain-HTTP redirect port, and how long
   * and how many connections may be held.
   */
  public record Http(String host, int port, Map<String, List<String>> headers, Tls tls, Redirect redirect,
      Timeouts timeouts, Limits limits, Debug debug) {
    /** With the default timeouts and limits. */
    public Http(String host, int port, Map<String, List<String>> headers, Tls tls, Redirect redirect) {
      this(host, port, headers, tls, redirect, Timeouts.DEFAULTS, Limits.DEFAULTS);
    }

    /** Without a debug listener. */
    public Http(String host, int port, Map<String, List<String>> headers, Tls tls, Redirect redirect,
        Timeouts timeouts, Limits limits) {
      this(host, port, headers, tls, redirect, timeouts, limits, null);
    }

    public boolean tlsEnabled() {
      return tls != null;
    }

    public Http withTimeouts(Timeouts newTimeouts) {
      return new Http(host, port, headers, tls, redirect, newTimeouts, limits, debug);
    }

    public Http withLimits(Limits newLimits) {
      return new Http(host, port, headers, tls, redirect, timeouts, newLimits, debug);
    }

    public Http withDebug(Debug newDebug) {
      return new Http(host, port, headers, tls, redirect, timeouts, limits, newDebug);
    }

    /** Whether requests are measured: only when a debug listener serves the metrics. */
    public boolean metricsEnabled() {
      return debug != null && debug.prometheusEnabled();
    }
  }

  /**
   * {@code http.debug.*}, as registry:2: a second plain-HTTP listener on {@code addr}; with {@code prometheus.enabled}
   * it serves the metrics at {@code prometheus.path}. Null when {@code addr} is unset: no listener, nothing measured.
   */
  public record Debug(String host, int port, boolean prometheusEnabled, String prometheusPath) {
    public static final String DEFAULT_PATH = "/metrics";

    /** A debug listener serving the metrics at the default path. */
    public static Debug prometheus(String host, int port) {
      return new Debug(host, port, true, DEFAULT_PATH);
    }
  }

  /**
   * {@code http.timeouts.*}, each inactivity-based: {@code header} bounds the request line and headers from their
   * first byte; {@code body} the wait for the next body byte; {@code idle} a keep-alive connection with no request;
   * {@code send} a response the client stops reading.
   */
  public record Timeouts(Duration header, Duration body, Duration idle, Duration send) {
    public static final Timeouts DEFAULTS =
        new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(75), Duration.ofSeconds(60));

    public static Timeouts all(Duration each) {
      return new Timeouts(each, each, each, each);
    }
  }

  /** {@code http.limits.*}: 0 connections = derived from the descriptor limit; 0 per client = no per-client cap. */
  public record Limits(int connections, int connectionsPerClient) {
    public static final Limits DEFAULTS = new Limits(0, 0);
  }

  /** {@code http.tls.*}: PEM files, reloaded when they change. */
  public record Tls(Path certificate, Path key, List<Path> clientCas, String minimumTls) {}

  /** {@code http.redirect.addr}: a plain-HTTP listener answering 308 to the HTTPS address; null when off. */
  public record Redirect(String host, int port) {}

  /**
   * {@code storage.*}: the filesystem driver's root, or the s3 driver's settings ({@code s3} null: filesystem), deletes,
   * read-only maintenance mode, how long another writer's new repositories and tags may stay unlisted
   * ({@code storage.listings.refresh}), and the purge of abandoned uploads.
   */
  public record Storage(Path rootDirectory, boolean deleteEnabled, boolean readOnly, Duration listingsRefresh,
      S3Settings s3, UploadPurging uploadPurging) {
    public static final Duration DEFAULT_LISTINGS_REFRESH = Duration.ofSeconds(30);

    public Storage(Path rootDirectory, boolean deleteEnabled, boolean readOnly) {
      this(rootDirectory, deleteEnabled, readOnly, DEFAULT_LISTINGS_REFRESH);
    }

    public Storage(Path rootDirectory, boolean deleteEnabled, boolean readOnly, Duration listingsRefresh) {
      this(rootDirectory, deleteEnabled, readOnly, listingsRefresh, null, UploadPurging.DEFAULT);
    }
  }

  /**
   * {@code storage.maintenance.uploadpurging}, as registry:2: every {@code interval}, remove uploads started more than
   * {@code age} ago (on S3 with their multipart uploads and side objects).
   */
  public record UploadPurging(boolean enabled, Duration age, Duration interval) {
    public static final UploadPurging DEFAULT = new UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24));
  }

  /** {@code auth.*}: null members are off. With neither htpasswd nor token, everyone may do everything. */
  public record Auth(Htpasswd htpasswd, Token token, boolean anonymousPull, List<AccessRule> access) {
    public static Auth none() {
      return new Auth(null, null, false, List.of());
    }

    public boolean enabled() {
      return htpasswd != null || token != null;
    }
  }

  public record Htpasswd(String realm, Path path) {}

  /** Built-in token service; realm empty means this server's own {@code /auth/token}. */
  public record Token(String realm, String service, String issuer, long expirationSeconds, Path signingKey) {}

  /** A user (or "*") may do {@code actions} on repositories matching the glob {@code repository}. */
  public record AccessRule(String account, String repository, List<String> actions) {}

  /**
   * {@code proxy.*}: the pull-through cache. Either distribution's single upstream ({@code proxy.remoteurl}: every
   * repository is a cache of it and pushes are refused, as in registry:2) or named {@code proxy.upstreams}, each
   * caching under its own name as a path prefix while every other repository takes pushes as usual.
   */
  public record Proxy(List<Upstream> upstreams) {
    public static final Proxy NONE = new Proxy(List.of());

    public Proxy {
      upstreams = List.copyOf(upstreams);
    }

    public boolean enabled() {
      return !upstreams.isEmpty();
    }
  }

  /**
   * One upstream registry. {@code name} is the path prefix of its cached repositories (empty for the single-upstream
   * shape, which caches every repository); {@code host} is the registry host it stands for, matched against
   * containerd's {@code ?ns=}; {@code tagTtl} is how long an upstream answer for a tag is trusted (zero: asked on every
   * pull, as registry:2 does); {@code evictAfter} is distribution's {@code proxy.ttl}, kept for the garbage collector;
   * {@code dockerMirror}: also the target of Docker daemon {@code registry-mirrors} pulls, which carry neither
   * {@code ?ns=} nor a prefix, for repositories this registry does not hold.
   */
  public record Upstream(String name, java.net.URI url, String host, UpstreamCredentials credentials, Path caFile,
      Duration tagTtl, Duration evictAfter, boolean dockerMirror) {
    public Upstream(String name, java.net.URI url, String host, UpstreamCredentials credentials, Path caFile,
        Duration tagTtl, Duration evictAfter) {
      this(name, url, host, credentials, caFile, tagTtl, evictAfter, false);
    }

    public boolean everyRepository() {
      return name.isEmpty();
    }
  }

  /**
   * Upstream credentials: inline (distribution's {@code proxy.username/password}) or files read at each login, so a
   * rotated Secret needs no restart. All null: anonymous.
   */
  public record UpstreamCredentials(String username, String password, Path usernameFile, Path passwordFile) {
    public static final UpstreamCredentials ANONYMOUS = new UpstreamCredentials(null, null, null, null);
  }
}
