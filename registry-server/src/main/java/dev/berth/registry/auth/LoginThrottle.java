package dev.berth.registry.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: a client (an address, or an account name) with {@code maxFailures} failed logins within
 * {@code window} is refused for {@code block}. Memory is bounded by {@code maxClients}: when full, the least recently
 * seen client is forgotten. IPv6 clients are counted per /64, the block a single host usually controls.
 */
public final class LoginThrottle {
  public static final int DEFAULT_MAX_FAILURES = 5;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  public static final Duration DEFAULT_BLOCK = Duration.ofMinutes(1);
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_ACCOUNT_MAX_FAILURES = 20;

  private final Clock clock;
  private final int maxFailures;
  private final Duration window;
  private final Duration block;
  private final Map<String, ClientRecord> clients;

  private static final class ClientRecord {
    final Deque<Instant> failures = new ArrayDeque<>();
    Instant blockedUntil = Instant.MIN;
  }

  public LoginThrottle(Clock clock, int maxFailures, Duration window, Duration block, int maxClients) {
    if (maxFailures < 1 || maxClients < 1 || window.isNegative() || block.isNegative()) {
      throw new IllegalArgumentException("login throttle needs maxFailures >= 1, maxClients >= 1, non-negative durations");
    }
    this.clock = clock;
    this.maxFailures = maxFailures;
    this.window = window;
    this.block = block;
    this.clients = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ClientRecord> eldest) {
        return size() > maxClients;
      }
    };
  }

  public static LoginThrottle withDefaults(Clock clock) {
    return new LoginThrottle(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_BLOCK, DEFAULT_MAX_CLIENTS);
  }

  /**
   * The per-account throttle: guessing one user's password from many addresses. It allows more failures than the
   * per-address one, since anyone can spend an account's failures and so lock its owner out for a while.
   */
  public static LoginThrottle forAccounts(Clock clock) {
    return new LoginThrottle(clock, DEFAULT_ACCOUNT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_BLOCK, DEFAULT_MAX_CLIENTS);
  }

  /** How long {@code client} must still wait, or empty when it may try to log in. */
  public Optional<Duration> blockedFor(InetAddress client) {
    return blockedFor(key(client));
  }

  public void recordFailure(InetAddress client) {
    recordFailure(key(client));
  }

  public void recordSuccess(InetAddress client) {
    recordSuccess(key(client));
  }

  /** How long the client named {@code key} (an account name, say) must still wait, or empty. */
  public synchronized Optional<Duration> blockedFor(String key) {
    ClientRecord record = clients.get(key);
    Instant now = clock.instant();
    if (record == null || !now.isBefore(record.blockedUntil)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, record.blockedUntil));
  }

  public synchronized void recordFailure(String key) {
    Instant now = clock.instant();
    ClientRecord record = clients.computeIfAbsent(key, k -> new ClientRecord());
    Iterator<Instant> old = record.failures.iterator();
    while (old.hasNext() && !old.next().isAfter(now.minus(window))) {
      old.remove();
    }
    record.failures.addLast(now);
    if (record.failures.size() >= maxFailures) {
      record.blockedUntil = now.plus(block);
      record.failures.clear();
    }
  }

  public synchronized void recordSuccess(String key) {
    ClientRecord record = clients.get(key);
    if (record != null && !clock.instant().isBefore(record.blockedUntil)) {
      clients.remove(key);
    }
  }

  synchronized int trackedClients() {
    return clients.size();
  }

  private static String key(InetAddress client) {
    if (client == null) {
      return "unknown";
    }
    if (client instanceof Inet6Address) {
      return HexFormat.of().formatHex(Arrays.copyOf(client.getAddress(), 8)) + "::/64";
    }
    return client.getHostAddress();
  }
}
