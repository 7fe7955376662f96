package dev.berth.registry.auth;

import dev.berth.registry.tls.WatchedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an Apache htpasswd file holding bcrypt entries ({@code htpasswd -B}). Lookups re-check the file at most
 * once per {@link #CHECK_INTERVAL}, so a rotated Secret takes effect within a second or two without a restart; a
 * file that vanishes or becomes unreadable keeps the last users in service.
 */
public final class HtpasswdFile {
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);
  private static final long MAX_BYTES = 16L * 1024 * 1024;

  private final Path path;
  private final Clock clock;
  private final WatchedFiles file;
  private final AtomicLong nextCheckMillis = new AtomicLong();
  private volatile Map<String, String> hashes;

  private HtpasswdFile(Path path, Clock clock) {
    this.path = path;
    this.clock = clock;
    this.file = new WatchedFiles(List.of(path), MAX_BYTES);
  }

  /**
   * Reads the file now.
   *
   * @throws IllegalArgumentException when it does not exist or cannot be read (a server without its users should not
   *     start)
   */
  public static HtpasswdFile open(Path path, Clock clock) {
    HtpasswdFile htpasswd = new HtpasswdFile(path, clock);
    try {
      htpasswd.hashes = parse(new String(htpasswd.file.read().get(0), StandardCharsets.UTF_8), path.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("auth.htpasswd.path: " + path + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("auth.htpasswd.path: cannot read " + path + ": " + e.getMessage(), e);
    }
    htpasswd.nextCheckMillis.set(clock.millis() + CHECK_INTERVAL.toMillis());
    LOG.info("htpasswd {}: {} user(s)", path, htpasswd.hashes.size());
    return htpasswd;
  }

  /** The bcrypt hash of {@code user}, after a re-check of the file when one is due. */
  public Optional<String> bcryptHash(String user) {
    long now = clock.millis();
    long due = nextCheckMillis.get();
    // One caller per interval does the check; the others go on with the entries they have.
    if (now >= due && nextCheckMillis.compareAndSet(due, now + CHECK_INTERVAL.toMillis())) {
      reloadIfChanged();
    }
    return Optional.ofNullable(hashes.get(user));
  }

  public int size() {
    return hashes.size();
  }

  /** Re-reads the file; returns true when its content changed and the new users are in service. */
  public synchronized boolean reloadIfChanged() {
    try {
      Optional<List<byte[]>> changed = file.readIfChanged();
      if (changed.isEmpty()) {
        return false;
      }
      hashes = parse(new String(changed.get().get(0), StandardCharsets.UTF_8), path.toString());
      LOG.info("htpasswd {} reloaded: {} user(s)", path, hashes.size());
      return true;
    } catch (IOException e) {
      LOG.warn("htpasswd {} unreadable ({}); keeping the previous {} user(s)", path, e.getMessage(), hashes.size());
      return false;
    }
  }

  /**
   * Parses htpasswd text: {@code user:hash} lines, blank lines and {@code #} comments ignored. Only bcrypt hashes are
   * accepted; other kinds (MD5 {@code $apr1$}, SHA1 {@code {SHA}}, crypt, plain text) are skipped with a warning
   * naming the user and line, never the hash. The first entry of a user wins, as in Apache.
   */
  static Map<String, String> parse(String content, String source) {
    Map<String, String> hashes = new LinkedHashMap<>();
    String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        LOG.warn("{} line {}: not a user:hash entry; ignored", source, i + 1);
        continue;
      }
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      if (!isBcrypt(hash)) {
        LOG.warn("{} line {}: user '{}' has a {} entry; only bcrypt entries (htpasswd -B) are supported, so this user cannot log in",
            source, i + 1, user, hashKind(hash));
        continue;
      }
      if (hashes.putIfAbsent(user, hash) != null) {
        LOG.warn("{} line {}: user '{}' appears again; the first entry is used", source, i + 1, user);
      }
    }
    return Map.copyOf(hashes);
  }

  private static boolean isBcrypt(String hash) {
    return (hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$")) && hash.length() == 60;
  }

  private static String hashKind(String hash) {
    if (hash.startsWith("$apr1$")) {
      return "MD5 ($apr1$)";
    }
    if (hash.startsWith("{SHA}")) {
      return "SHA1 ({SHA})";
    }
    if (hash.startsWith("$2")) {
      return "malformed bcrypt";
    }
    if (hash.startsWith("$")) {
      return "crypt(3) " + hash.substring(0, Math.min(hash.length(), hash.indexOf('$', 1) + 1));
    }
    return "crypt or plain-text";
  }
}
