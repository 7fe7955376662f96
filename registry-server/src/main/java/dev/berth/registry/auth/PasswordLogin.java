package dev.berth.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.metrics.RegistryMetrics.AuthFailure;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against the htpasswd file, with the verification cache and two throttles: one per
 * client address, one per account. Shared by Basic auth and the token endpoint so that both count failures in the
 * same place.
 */
public final class PasswordLogin {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);
  static final Duration CACHE_TTL = Duration.ofSeconds(60);
  private static final int CACHE_ENTRIES = 10_000;
  /** Account names come from the client; a throttle key never holds more of one than this. */
  private static final int MAX_ACCOUNT_KEY = 256;

  // None: Apache's bcrypt (like OpenBSD's) uses the first 72 bytes of a longer password; so does this verifier.
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(BCrypt.Version.VERSION_2Y, LongPasswordStrategies.none());

  /** Checks a password against a bcrypt hash; a seam so tests can see which hash a login was checked against. */
  @FunctionalInterface
  interface HashCheck {
    boolean matches(String password, String bcryptHash);
  }

  /** The outcome of one login attempt. */
  public sealed interface Result {
    record Success(String user) implements Result {}

    record Failure() implements Result {}

    /** Refused unchecked: the address or the account is throttled for {@code retryAfter} more. */
    record Throttled(Duration retryAfter) implements Result {}
  }

  private final HtpasswdFile htpasswd;
  private final LoginThrottle addresses;
  private final LoginThrottle accounts;
  private final VerifiedPasswordCache cache;
  private final HashCheck hashCheck;
  private final RegistryMetrics metrics;

  public PasswordLogin(HtpasswdFile htpasswd, LoginThrottle addresses, Clock clock) {
    this(htpasswd, addresses, clock, RegistryMetrics.NONE);
  }

  /** As above, counting refused logins in {@code metrics}. */
  public PasswordLogin(HtpasswdFile htpasswd, LoginThrottle addresses, Clock clock, RegistryMetrics metrics) {
    this(htpasswd, addresses, LoginThrottle.forAccounts(clock), clock, PasswordLogin::bcryptMatches, metrics);
  }

  PasswordLogin(HtpasswdFile htpasswd, LoginThrottle addresses, LoginThrottle accounts, Clock clock, HashCheck hashCheck) {
    this(htpasswd, addresses, accounts, clock, hashCheck, RegistryMetrics.NONE);
  }

  private PasswordLogin(HtpasswdFile htpasswd, LoginThrottle addresses, LoginThrottle accounts, Clock clock,
      HashCheck hashCheck, RegistryMetrics metrics) {
    this.metrics = metrics;
    this.htpasswd = htpasswd;
    this.addresses = addresses;
    this.accounts = accounts;
    this.cache = new VerifiedPasswordCache(clock, CACHE_TTL, CACHE_ENTRIES);
    this.hashCheck = hashCheck;
  }

  public Result check(BasicCredentials credentials, InetAddress client) {
    String user = credentials.user();
    String account = accountKey(user);
    // Throttled means refused before any password check, the right one and cached ones included: otherwise a 429
    // would only mean "wrong" and guessing would go on at full speed.
    Optional<Duration> blocked = longer(addresses.blockedFor(client), accounts.blockedFor(account));
    if (blocked.isPresent()) {
      metrics.authRefused(AuthFailure.THROTTLED);
      return new Result.Throttled(blocked.get());
    }
    HtpasswdFile.Users users = htpasswd.users();
    String hash = users.hashes().get(user);
    if (hash != null && cache.contains(user, hash, credentials.password())) {
      return new Result.Success(user);
    }
    // Unknown users are checked against the dummy hash of the same cost, so that timing does not tell them apart.
    boolean verified = hashCheck.matches(credentials.password(), hash == null ? users.dummyHash() : hash) && hash != null;
    if (!verified) {
      addresses.recordFailure(client);
      accounts.recordFailure(account);
      metrics.authRefused(AuthFailure.INVALID_CREDENTIALS);
      LOG.warn("failed login for user '{}' from {}", printable(user), client == null ? "unknown" : client.getHostAddress());
      return new Result.Failure();
    }
    addresses.recordSuccess(client);
    accounts.recordSuccess(account);
    cache.remember(user, hash, credentials.password());
    return new Result.Success(user);
  }

  private static Optional<Duration> longer(Optional<Duration> a, Optional<Duration> b) {
    if (a.isPresent() && b.isPresent()) {
      return Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get());
    }
    return a.isPresent() ? a : b;
  }

  /** Prefixed so that an account name can never collide with an address key in a shared map or log line. */
  private static String accountKey(String user) {
    return "account:" + (user.length() > MAX_ACCOUNT_KEY ? user.substring(0, MAX_ACCOUNT_KEY) : user);
  }

  static boolean bcryptMatches(String password, String hash) {
    try {
      // bcrypt compares its own output in constant time.
      return VERIFYER.verify(password.toCharArray(), hash.toCharArray()).verified;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** User names come from the client; keep control characters out of the log. */
  private static String printable(String user) {
    String cut = user.length() > 64 ? user.substring(0, 64) + "..." : user;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
