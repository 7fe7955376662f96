package dev.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers recent successful bcrypt verifications for a short time, since Basic auth sends the password with every
 * request and bcrypt is slow on purpose. It holds an HMAC of (user, stored hash, password) under a random per-process
 * key, never the password; a changed htpasswd entry changes the stored hash and so misses the cache.
 */
final class VerifiedPasswordCache {
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final SecretKeySpec key;
  private final Map<String, Entry> entries;

  private record Entry(byte[] mac, Instant expires) {}

  VerifiedPasswordCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > VerifiedPasswordCache.this.maxEntries;
      }
    };
  }

  synchronized boolean contains(String user, String storedHash, String password) {
    Entry entry = entries.get(user);
    if (entry == null) {
      return false;
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(user);
      return false;
    }
    return MessageDigest.isEqual(entry.mac(), mac(user, storedHash, password));
  }

  synchronized void remember(String user, String storedHash, String password) {
    entries.put(user, new Entry(mac(user, storedHash, password), clock.instant().plus(ttl)));
  }

  synchronized int size() {
    return entries.size();
  }

  private byte[] mac(String user, String storedHash, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // NUL separators: user names and hashes cannot contain one, so the fields cannot run into each other.
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(storedHash.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
