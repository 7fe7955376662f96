package dev.berth.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test helpers: htpasswd lines as {@code htpasswd -B} writes them, and Basic headers. */
final class Htpasswd {
  private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

  private Htpasswd() {}

  /** A {@code user:$2y$05$...} line; hashes are memoised because bcrypt is slow on purpose. */
  static String line(String user, String password) {
    return user + ":" + HASHES.computeIfAbsent(password,
        p -> BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(5, p.toCharArray()));
  }

  static Path write(Path file, String... lines) throws IOException {
    return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** {@code dir/htpasswd} with the two users the auth tests log in as: alice (wonderland) and bob (builder). */
  static Path aliceAndBob(Path dir) throws IOException {
    return write(dir.resolve("htpasswd"), line("alice", "wonderland"), line("bob", "builder"));
  }

  /** A login that records every hash a password was checked against (in order) into {@code checkedHashes}. */
  static PasswordLogin recordingLogin(HtpasswdFile file, java.time.Clock clock, java.util.List<String> checkedHashes) {
    return new PasswordLogin(file, LoginThrottle.withDefaults(clock), LoginThrottle.forAccounts(clock), clock,
        (password, hash) -> {
          checkedHashes.add(hash);
          return PasswordLogin.bcryptMatches(password, hash);
        });
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
