package dev.berth.registry.auth;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.metrics.RegistryMetrics;
import java.time.Clock;
import java.time.Duration;

/** Builds the server's {@link Authenticator} from {@code auth.*}. */
public final class Authenticators {
  static final String DEFAULT_REALM = "berth";

  private Authenticators() {}

  /**
   * Everyone may do everything when auth is off; HTTP Basic with {@code auth.htpasswd}; with {@code auth.token} bearer
   * tokens, whose endpoint ({@link Authenticator#tokenEndpoint()}) takes the htpasswd users' credentials.
   *
   * @throws IllegalArgumentException naming the config key when the auth settings cannot work (missing htpasswd
   *     file, token auth without htpasswd, unusable signing key, bad access rule)
   */
  public static Authenticator fromConfig(RegistryConfig.Auth auth) {
    return fromConfig(auth, Clock.systemUTC());
  }

  /** As above, counting refused logins and tokens in {@code metrics}. */
  public static Authenticator fromConfig(RegistryConfig.Auth auth, RegistryMetrics metrics) {
    return fromConfig(auth, Clock.systemUTC(), metrics);
  }

  static Authenticator fromConfig(RegistryConfig.Auth auth, Clock clock) {
    return fromConfig(auth, clock, RegistryMetrics.NONE);
  }

  static Authenticator fromConfig(RegistryConfig.Auth auth, Clock clock, RegistryMetrics metrics) {
    if (auth == null || !auth.enabled()) {
      return Authenticator.allowAll();
    }
    AccessRules rules = AccessRules.from(auth.access(), auth.anonymousPull());
    if (auth.htpasswd() == null || auth.htpasswd().path() == null) {
      throw new IllegalArgumentException(
          "auth.token needs auth.htpasswd.path: the token endpoint checks user names and passwords against it");
    }
    String basicRealm = blankToDefault(auth.htpasswd().realm(), DEFAULT_REALM);
    RegistryConfig.Token token = auth.token();
    if (token != null && token.expirationSeconds() <= 0) {
      throw new IllegalArgumentException("auth.token.expiration must be a positive number of seconds, not "
          + token.expirationSeconds());
    }
    // The key is loaded and proven before the htpasswd watcher starts, so a bad key leaves no thread behind.
    TokenSigningKey key = token == null ? null : TokenSigningKey.load(token.signingKey());
    HtpasswdFile htpasswd = HtpasswdFile.open(auth.htpasswd().path());
    PasswordLogin login = new PasswordLogin(htpasswd, LoginThrottle.withDefaults(clock), clock, metrics);
    // Off the request path: a daemon thread re-reads a changed file, so no login waits for the disk.
    htpasswd.watch(HtpasswdFile.CHECK_INTERVAL);
    if (token == null) {
      return new BasicAuthenticator(basicRealm, login, rules, htpasswd);
    }
    String service = blankToDefault(token.service(), "berth");
    String issuerName = blankToDefault(token.issuer(), "berth");
    TokenIssuer issuer = new TokenIssuer(key, issuerName, service, Duration.ofSeconds(token.expirationSeconds()), clock);
    TokenEndpoint endpoint = new TokenEndpoint(issuer, login, rules, service, basicRealm);
    return new BearerAuthenticator(new TokenValidator(key, issuerName, service, clock), token.realm(), service,
        rules, endpoint, htpasswd, metrics);
  }

  private static String blankToDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
