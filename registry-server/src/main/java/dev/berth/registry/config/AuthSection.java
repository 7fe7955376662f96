package dev.berth.registry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code auth.*}. A half-written auth section is an error rather than "no auth": a typo must never open a
 * registry its operator meant to protect.
 */
final class AuthSection {
  static final String DEFAULT_REALM = "berth";
  static final int DEFAULT_TOKEN_SECONDS = 300;
  static final int MAX_TOKEN_SECONDS = 86_400;

  private AuthSection() {}

  static RegistryConfig.Auth read(ConfigTree tree) {
    RegistryConfig.Htpasswd htpasswd = tree.declared("auth.htpasswd") ? htpasswd(tree) : null;
    RegistryConfig.Token token = tree.declared("auth.token") ? token(tree, htpasswd) : null;
    boolean anonymousPull = tree.bool("auth.anonymouspull").orElse(false);
    if (anonymousPull && htpasswd == null) {
      throw tree.error("auth.anonymouspull", "needs auth.htpasswd: without auth everyone may pull anyway");
    }
    List<RegistryConfig.AccessRule> access = AccessRules.read(tree);
    if (!access.isEmpty() && htpasswd == null) {
      throw tree.error(AccessRules.KEY, "needs auth.htpasswd: the rules apply to authenticated users");
    }
    return new RegistryConfig.Auth(htpasswd, token, anonymousPull, access);
  }

  private static RegistryConfig.Htpasswd htpasswd(ConfigTree tree) {
    Path path = tree.readableFile("auth.htpasswd.path")
        .orElseThrow(() -> tree.error("auth.htpasswd.path", "is required: the htpasswd file of bcrypt entries (htpasswd -B)"));
    return new RegistryConfig.Htpasswd(headerSafe(tree, "auth.htpasswd.realm", DEFAULT_REALM), path);
  }

  private static RegistryConfig.Token token(ConfigTree tree, RegistryConfig.Htpasswd htpasswd) {
    if (htpasswd == null) {
      throw tree.error("auth.token", "needs auth.htpasswd: the token service checks credentials against it");
    }
    String realm = tree.string("auth.token.realm").map(String::strip).orElse("");
    if (!realm.isEmpty()) {
      checkRealmUrl(tree, realm);
    }
    int expiration = tree.integer("auth.token.expiration").orElse(DEFAULT_TOKEN_SECONDS);
    if (expiration < 1 || expiration > MAX_TOKEN_SECONDS) {
      throw tree.error("auth.token.expiration", expiration + " is out of range: token lifetime in seconds, 1 to "
          + MAX_TOKEN_SECONDS);
    }
    return new RegistryConfig.Token(realm,
        headerSafe(tree, "auth.token.service", DEFAULT_REALM),
        headerSafe(tree, "auth.token.issuer", DEFAULT_REALM),
        expiration,
        tree.readableFile("auth.token.signingkey").orElse(null));
  }

  private static void checkRealmUrl(ConfigTree tree, String realm) {
    try {
      URI uri = new URI(realm);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && realm.indexOf('"') < 0) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw tree.error("auth.token.realm", "'" + realm + "' is not an http(s) URL; leave it empty for this server's "
        + "/auth/token");
  }

  /** Realm, service and issuer end up quoted in WWW-Authenticate headers, so quotes and control characters are out. */
  private static String headerSafe(ConfigTree tree, String key, String fallback) {
    String value = tree.string(key).map(String::strip).filter(s -> !s.isEmpty()).orElse(fallback);
    if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20 || c == 0x7f)) {
      throw tree.error(key, "must not contain quotes, backslashes or control characters");
    }
    return value;
  }
}
