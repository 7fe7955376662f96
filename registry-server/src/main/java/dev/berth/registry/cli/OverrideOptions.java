package dev.berth.registry.cli;

import dev.berth.registry.config.FlagOverride;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags that override single config keys; they win over environment variables and the file. */
public final class OverrideOptions {
  @Option(names = "--addr", paramLabel = "[HOST]:PORT", description = "Listen address (http.addr), e.g. :5000 or 127.0.0.1:5000.")
  String addr;

  @Option(names = "--root", paramLabel = "DIR", description = "Storage root directory (storage.filesystem.rootdirectory).")
  String root;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info or debug (log.level).")
  String logLevel;

  @Option(names = "--delete-enabled", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Allow deleting manifests and blobs (storage.delete.enabled).")
  Boolean deleteEnabled;

  @Option(names = "--read-only", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Refuse every write (storage.maintenance.readonly.enabled).")
  Boolean readOnly;

  @Option(names = "--access-log", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Write one line per request (the opposite of log.accesslog.disabled).")
  Boolean accessLog;

  @Option(names = "--tls-certificate", paramLabel = "FILE", description = "PEM certificate chain; enables TLS (http.tls.certificate).")
  String tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (http.tls.key).")
  String tlsKey;

  @Option(names = "--htpasswd", paramLabel = "FILE", description = "bcrypt htpasswd file; enables Basic auth (auth.htpasswd.path).")
  String htpasswd;

  /** The flags given, as config key overrides in a fixed order. */
  List<FlagOverride> overrides() {
    List<FlagOverride> overrides = new ArrayList<>();
    add(overrides, "http.addr", addr, "--addr");
    add(overrides, "storage.filesystem.rootdirectory", root, "--root");
    add(overrides, "log.level", logLevel, "--log-level");
    add(overrides, "storage.delete.enabled", deleteEnabled, "--delete-enabled");
    add(overrides, "storage.maintenance.readonly.enabled", readOnly, "--read-only");
    add(overrides, "log.accesslog.disabled", accessLog == null ? null : !accessLog, "--access-log");
    add(overrides, "http.tls.certificate", tlsCertificate, "--tls-certificate");
    add(overrides, "http.tls.key", tlsKey, "--tls-key");
    add(overrides, "auth.htpasswd.path", htpasswd, "--htpasswd");
    return overrides;
  }

  private static void add(List<FlagOverride> overrides, String key, Object value, String flag) {
    if (value != null) {
      overrides.add(new FlagOverride(key, value.toString(), flag));
    }
  }
}
