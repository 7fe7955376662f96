package dev.berth.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password against the htpasswd file, with the verification cache and the per-client
 * throttle. Shared by Basic auth and the token endpoint so that both count failures in the same place.
 */
public final class PasswordLogin {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);
  static final Duration CACHE_TTL = Duration.ofSeconds(60);
  private static final int CACHE_ENTRIES = 10_000;
  /** Verified against for unknown users, so a miss costs the same time as a wrong password. */
  private static final String DUMMY_HASH = BCrypt.with(BCrypt.Version.VERSION_2Y)
      .hashToString(5, java.util.UUID.randomUUID().toString().toCharArray());

  // None: Apache's bcrypt (like OpenBSD's) uses the first 72 bytes of a longer password; so does this verifier.
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(BCrypt.Version.VERSION_2Y, LongPasswordStrategies.none());

  /** The outcome of one login attempt. */
  public sealed interface Result {
    record Success(String user) implements Result {}

    record Failure() implements Result {}

    record Throttled(Duration retryAfter) implements Result {}
  }

  private final HtpasswdFile htpasswd;
  private final LoginThrottle throttle;
  private final VerifiedPasswordCache cache;

  public PasswordLogin(HtpasswdFile htpasswd, LoginThrottle throttle, Clock clock) {
    this.htpasswd = htpasswd;
    this.throttle = throttle;
    this.cache = new VerifiedPasswordCache(clock, CACHE_TTL, CACHE_ENTRIES);
  }

  public Result check(BasicCredentials credentials, InetAddress client) {
    String user = credentials.user();
    Optional<String> hash = htpasswd.bcryptHash(user);
    // A password verified moments ago passes even while the client is throttled: only guessing is slowed down,
    // not a real user behind the same address as the guesser.
    if (hash.isPresent() && cache.contains(user, hash.get(), credentials.password())) {
      return new Result.Success(user);
    }
    Optional<Duration> blocked = throttle.blockedFor(client);
    if (blocked.isPresent()) {
      return new Result.Throttled(blocked.get());
    }
    boolean verified = verify(credentials.password(), hash.orElse(DUMMY_HASH)) && hash.isPresent();
    if (!verified) {
      throttle.recordFailure(client);
      LOG.warn("failed login for user '{}' from {}", printable(user), client == null ? "unknown" : client.getHostAddress());
      return new Result.Failure();
    }
    throttle.recordSuccess(client);
    cache.remember(user, hash.get(), credentials.password());
    return new Result.Success(user);
  }

  private static boolean verify(String password, String hash) {
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
