package dev.berth.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.registry.tls.PeriodicCheck;
import dev.berth.registry.tls.WatchedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an Apache htpasswd file holding bcrypt entries ({@code htpasswd -B}). A background check
 * ({@link #watch}) re-reads the file when it changes, so a rotated Secret takes effect within a second or two without
 * a restart and no request ever waits for the file; a file that vanishes or becomes unreadable keeps the last users in
 * service.
 */
public final class HtpasswdFile implements AutoCloseable {
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  /** The cost of the dummy hash when the file has no entries: the default of distribution's and Go's bcrypt. */
  static final int DEFAULT_COST = 10;
  private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);
  private static final long MAX_BYTES = 16L * 1024 * 1024;
  // bcrypt's cost is 04 to 31 (log2 of the rounds), followed by '$'.
  private static final Pattern BCRYPT_COST = Pattern.compile("(0[4-9]|[12][0-9]|3[01])\\$");

  /**
   * One version of the file: its entries, and a hash of a random password at the entries' usual cost, verified
   * against for unknown users so that their refusal takes as long as a wrong password for a real one.
   */
  record Users(Map<String, String> hashes, String dummyHash) {
    static Users of(Map<String, String> hashes) {
      int cost = usualCost(hashes.values());
      String dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, UUID.randomUUID().toString().toCharArray());
      return new Users(hashes, dummy);
    }
  }

  private final Path path;
  private final WatchedFiles file;
  private volatile Users users;
  private PeriodicCheck watcher;

  private HtpasswdFile(Path path) {
    this.path = path;
    this.file = new WatchedFiles(List.of(path), MAX_BYTES);
  }

  /**
   * Reads the file now.
   *
   * @throws IllegalArgumentException when it does not exist or cannot be read (a server without its users should not
   *     start)
   */
  public static HtpasswdFile open(Path path) {
    HtpasswdFile htpasswd = new HtpasswdFile(path);
    try {
      htpasswd.users = Users.of(parse(new String(htpasswd.file.read().get(0), StandardCharsets.UTF_8), path.toString()));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("auth.htpasswd.path: " + path + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("auth.htpasswd.path: cannot read " + path + ": " + e.getMessage(), e);
    }
    LOG.info("htpasswd {}: {} user(s)", path, htpasswd.size());
    return htpasswd;
  }

  /** The bcrypt hash of {@code user} in the version of the file last read; never touches the file. */
  public Optional<String> bcryptHash(String user) {
    return Optional.ofNullable(users.hashes().get(user));
  }

  /** The current version of the file, read once per login so that the entry and the dummy hash agree. */
  Users users() {
    return users;
  }

  public int size() {
    return users.hashes().size();
  }

  /** Re-checks the file every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized void watch(Duration interval) {
    if (watcher == null) {
      watcher = PeriodicCheck.start("berth-htpasswd-reload", interval, this::reloadIfChanged);
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  /** Re-reads the file; returns true when its content changed and the new users are in service. */
  public synchronized boolean reloadIfChanged() {
    try {
      Optional<List<byte[]>> changed = file.readIfChanged();
      if (changed.isEmpty()) {
        return false;
      }
      users = Users.of(parse(new String(changed.get().get(0), StandardCharsets.UTF_8), path.toString()));
      LOG.info("htpasswd {} reloaded: {} user(s)", path, size());
      return true;
    } catch (IOException e) {
      LOG.warn("htpasswd {} unreadable ({}); keeping the previous {} user(s)", path, e.getMessage(), size());
      return false;
    }
  }

  /** The cost most entries use (the highest of equally common ones), or {@link #DEFAULT_COST} for none. */
  static int usualCost(Collection<String> hashes) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (String hash : hashes) {
      counts.merge(cost(hash), 1, Integer::sum);
    }
    int best = DEFAULT_COST;
    int bestCount = 0;
    for (Map.Entry<Integer, Integer> entry : counts.entrySet()) {
      if (entry.getValue() >= bestCount) {
        best = entry.getKey();
        bestCount = entry.getValue();
      }
    }
    return best;
  }

  /** The cost field of a bcrypt hash {@code $2y$NN$...}; {@link #parse} admits only hashes that have one. */
  static int cost(String bcryptHash) {
    return Integer.parseInt(bcryptHash.substring(4, 6));
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
    return (hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$")) && hash.length() == 60
        && BCRYPT_COST.matcher(hash.substring(4, 7)).matches();
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
