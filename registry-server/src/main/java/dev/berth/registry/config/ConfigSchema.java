package dev.berth.registry.config;

import static java.util.Map.entry;

import dev.berth.registry.config.KeySpec.Ignored;
import dev.berth.registry.config.KeySpec.Section;
import dev.berth.registry.config.KeySpec.Unsupported;
import dev.berth.registry.config.KeySpec.Value;
import java.util.List;
import java.util.Map;

/**
 * Every key config.yml may hold: the ones Berth reads (docs/configuration.md), the distribution keys it accepts and
 * ignores so a registry:2 file works unchanged, and the distribution features it refuses by name. Anything else is an
 * unknown key.
 */
final class ConfigSchema {
  private ConfigSchema() {}

  private static final Value STRING = new Value(ValueKind.STRING);
  private static final Value INT = new Value(ValueKind.INT);
  private static final Value BOOL = new Value(ValueKind.BOOL);

  static final Section ROOT = new Section(Map.ofEntries(
      entry("version", STRING),
      entry("loglevel", STRING),
      entry("log", log()),
      entry("http", http()),
      entry("storage", storage()),
      entry("auth", auth()),
      entry("gc", new Section(Map.of("enabled", BOOL, "interval", STRING, "gracePeriod", STRING,
          "deleteUntagged", BOOL, "dryRun", BOOL, "uploadMaxAge", STRING,
          "retention", new Section(Map.of("delay", STRING, "policies", new Value(ValueKind.RETENTION_POLICIES)))))),
      entry("health", new Ignored("Berth serves /healthz and /readyz itself")),
      entry("reporting", new Ignored("Berth reports to no external service")),
      entry("redis", new Ignored("Berth uses no cache")),
      entry("validation", new Ignored("Berth validates manifests itself")),
      entry("compatibility", new Ignored("Berth stores no schema1 manifests")),
      entry("policy", new Ignored("Berth has no repository class policy")),
      entry("middleware", new Unsupported("middleware (e.g. CloudFront redirects) is not supported")),
      entry("notifications", new Section(Map.of(
          "endpoints", new Value(ValueKind.NOTIFICATION_ENDPOINTS),
          "events", new Section(Map.of("includereferences",
              new Ignored("Berth's push events carry no references list")))))),
      entry("proxy", proxy()),
      entry("ui", new Section(Map.of("enabled", BOOL)))));

  private static Section proxy() {
    return new Section(Map.of(
        "remoteurl", STRING,
        "username", STRING,
        "password", STRING,
        "ttl", STRING,
        "exec", new Unsupported("credential helpers are not supported; use proxy.upstreams[].usernamefile/passwordfile"),
        "upstreams", new Value(ValueKind.PROXY_UPSTREAMS)));
  }

  private static Section log() {
    return new Section(Map.of(
        "level", STRING,
        "formatter", new Ignored("Berth writes text application logs and logfmt access lines"),
        "fields", new Value(ValueKind.STRING_MAP),
        "accesslog", new Section(Map.of("disabled", BOOL)),
        "hooks", new Unsupported("log hooks (e.g. mail alerts) are not supported")));
  }

  private static Section http() {
    return new Section(Map.ofEntries(
        entry("addr", STRING),
        entry("net", STRING),
        entry("prefix", STRING),
        entry("headers", new Value(ValueKind.HEADER_MAP)),
        entry("tls", new Section(Map.of(
            "certificate", STRING,
            "key", STRING,
            "clientcas", new Value(ValueKind.STRING_LIST),
            "minimumtls", STRING,
            "ciphersuites", new Unsupported("cipher suites are not configurable; Berth uses its TLS library's secure defaults"),
            "letsencrypt", new Unsupported("Let's Encrypt is not supported; provide a certificate (e.g. from cert-manager)")))),
        entry("redirect", new Section(Map.of("addr", STRING))),
        entry("timeouts", new Section(Map.of("header", STRING, "body", STRING, "idle", STRING, "send", STRING))),
        entry("limits", new Section(Map.of("connections", INT, "connectionsPerClient", INT))),
        entry("host", new Ignored("Berth answers with relative Location headers")),
        entry("relativeurls", new Ignored("Berth always answers with relative Location headers")),
        entry("secret", new Ignored("Berth keeps upload state on the server, so it needs no secret")),
        entry("draintimeout", new Ignored("Berth drains in-flight requests on shutdown with its own bound")),
        entry("debug", new Section(Map.of(
            "addr", STRING,
            "prometheus", new Section(Map.of("enabled", BOOL, "path", STRING)),
            "tls", new Unsupported("the debug listener serves plain HTTP; bind it to a private address (127.0.0.1, the pod IP)")))),
        entry("http2", new Ignored("Berth serves HTTP/1.1"))));
  }

  private static Section storage() {
    String drivers = "is not supported; Berth stores on the filesystem or s3 driver";
    return new Section(Map.ofEntries(
        entry("filesystem", new Section(Map.of(
            "rootdirectory", STRING,
            "maxthreads", new Ignored("Berth bounds its own disk I/O")))),
        entry("s3", s3()),
        entry("delete", new Section(Map.of("enabled", BOOL))),
        entry("listings", new Section(Map.of("refresh", STRING))),
        entry("maintenance", new Section(Map.of(
            "readonly", new Section(Map.of("enabled", BOOL)),
            "uploadpurging", new Section(Map.of(
                "enabled", BOOL,
                "age", STRING,
                "interval", STRING,
                "dryrun", new Ignored("Berth's upload purge always removes what it finds")))))),
        entry("cache", new Ignored("Berth needs no blob descriptor cache")),
        entry("redirect", new Section(Map.of("disable", BOOL))),
        entry("azure", new Unsupported("storage driver 'azure' " + drivers)),
        entry("gcs", new Unsupported("storage driver 'gcs' " + drivers)),
        entry("swift", new Unsupported("storage driver 'swift' " + drivers)),
        entry("oss", new Unsupported("storage driver 'oss' " + drivers)),
        entry("inmemory", new Unsupported("storage driver 'inmemory' " + drivers))));
  }

  /** distribution's s3-aws parameters (docs/content/storage-drivers/s3.md). */
  private static Section s3() {
    return new Section(Map.ofEntries(
        entry("bucket", STRING),
        entry("region", STRING),
        entry("regionendpoint", STRING),
        entry("rootdirectory", STRING),
        entry("accesskey", STRING),
        entry("secretkey", STRING),
        entry("forcepathstyle", BOOL),
        entry("secure", BOOL),
        entry("skipverify", BOOL),
        entry("chunksize", STRING),
        entry("storageclass", STRING),
        entry("encrypt", BOOL),
        entry("v4auth", new Ignored("Berth always signs with AWS Signature Version 4")),
        entry("keyid", new Unsupported("SSE-KMS key ids are not supported; encrypt uses S3-managed keys (SSE-S3)")),
        entry("redirectendpoint", new Unsupported("redirects go to the bucket's own endpoint")),
        entry("multipartcopychunksize", new Ignored("Berth copies with one CopyObject up to 5 GiB and 1 GiB parts above")),
        entry("multipartcopymaxconcurrency", new Ignored("Berth copies parts one after another")),
        entry("multipartcopythresholdsize", new Ignored("Berth copies with one CopyObject up to 5 GiB")),
        entry("useragent", new Ignored("Berth sends the AWS SDK's user agent")),
        entry("usedualstack", new Ignored("set regionendpoint for a dual-stack endpoint")),
        entry("accelerate", new Ignored("set regionendpoint for an accelerated endpoint")),
        entry("objectacl", new Ignored("Berth writes objects with the bucket's default ACL")),
        entry("loglevel", new Ignored("S3 errors are logged by Berth with bucket and key"))));
  }

  private static Section auth() {
    String external = "Berth's auth.token is its own token service; an external token server is not supported";
    return new Section(Map.of(
        "htpasswd", new Section(Map.of("realm", STRING, "path", STRING)),
        "token", new Section(Map.of(
            "realm", STRING,
            "service", STRING,
            "issuer", STRING,
            "expiration", INT,
            "signingkey", STRING,
            "rootcertbundle", new Unsupported(external),
            "autoredirect", new Unsupported(external),
            "jwks", new Unsupported(external))),
        "anonymouspull", BOOL,
        "access", new Value(ValueKind.ACCESS_RULES),
        "silly", new Unsupported("the 'silly' development auth is not supported; use auth.htpasswd")));
  }

  /** The spec at {@code path}, or null when no such key exists. */
  static KeySpec lookup(List<String> path) {
    KeySpec spec = ROOT;
    for (String segment : path) {
      if (!(spec instanceof Section section)) {
        return null;
      }
      spec = section.children().get(segment);
    }
    return spec;
  }

  /** The keys to suggest under a section: everything it accepts, not the features it refuses. */
  static List<String> acceptedKeys(Section section) {
    return section.children().entrySet().stream()
        .filter(e -> !(e.getValue() instanceof Unsupported))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
