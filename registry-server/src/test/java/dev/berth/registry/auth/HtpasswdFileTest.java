package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.registry.tls.SecretMount;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdFileTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));

  @Test
  void parsesBcryptEntriesAndSkipsEverythingElse() {
    String alice = Htpasswd.line("alice", "wonderland");
    Map<String, String> hashes = HtpasswdFile.parse(String.join("\r\n",
        "# team registry users",
        "",
        alice,
        "bob:$apr1$Vn1v8Jb7$7bvxBNkw3mvPmRfkpg/pw.",
        "carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
        "dave:plaintext",
        "broken line without colon",
        "erin:$2y$05$tooShort",
        "alice:" + Htpasswd.line("x", "other").substring(2)), "test");
    assertThat(hashes).containsOnlyKeys("alice");
    assertThat("alice:" + hashes.get("alice")).as("the first entry of a user wins").isEqualTo(alice);
  }

  @Test
  void acceptsTheBcryptVariantsHtpasswdAndOthersWrite() throws Exception {
    String y = Htpasswd.line("u", "pw").substring(2);
    Path file = Htpasswd.write(dir.resolve("htpasswd"),
        "y:" + y, "a:" + y.replace("$2y$", "$2a$"), "b:" + y.replace("$2y$", "$2b$"));
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(file, clock), LoginThrottle.withDefaults(clock), clock);
    for (String user : List.of("y", "a", "b")) {
      assertThat(login.check(new BasicCredentials(user, "pw"), null)).isEqualTo(new PasswordLogin.Result.Success(user));
    }
  }

  @Test
  void readsWhatTheRealHtpasswdToolWrites() throws Exception {
    Path htpasswdTool = findTool("htpasswd");
    Path file = dir.resolve("htpasswd");
    run(htpasswdTool.toString(), "-B", "-b", "-c", file.toString(), "alice", "s3cret pass");
    run(htpasswdTool.toString(), "-B", "-C", "7", "-b", file.toString(), "bob", "x".repeat(80));
    run(htpasswdTool.toString(), "-b", "-m", file.toString(), "md5user", "md5pass");
    HtpasswdFile htpasswd = HtpasswdFile.open(file, clock);
    assertThat(htpasswd.size()).as("the MD5 entry is refused").isEqualTo(2);
    PasswordLogin login = new PasswordLogin(htpasswd, LoginThrottle.withDefaults(clock), clock);
    assertThat(login.check(new BasicCredentials("alice", "s3cret pass"), null)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(login.check(new BasicCredentials("alice", "s3cret"), null)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("bob", "x".repeat(80)), null))
        .as("passwords past bcrypt's 72 bytes verify as Apache computes them").isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(login.check(new BasicCredentials("md5user", "md5pass"), null)).isInstanceOf(PasswordLogin.Result.Failure.class);
  }

  @Test
  void reloadsWhenTheFileChanges() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    HtpasswdFile htpasswd = HtpasswdFile.open(file, clock);
    PasswordLogin login = new PasswordLogin(htpasswd, LoginThrottle.withDefaults(clock), clock);
    assertThat(login.check(new BasicCredentials("alice", "one"), null)).isInstanceOf(PasswordLogin.Result.Success.class);

    Htpasswd.write(file, Htpasswd.line("alice", "two"), Htpasswd.line("bob", "three"));
    clock.advance(HtpasswdFile.CHECK_INTERVAL);
    assertThat(login.check(new BasicCredentials("alice", "one"), null))
        .as("the old password, although cached, no longer matches the new entry").isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", "two"), null)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(login.check(new BasicCredentials("bob", "three"), null)).isInstanceOf(PasswordLogin.Result.Success.class);
  }

  @Test
  void followsAKubernetesSecretSymlinkSwap() throws Exception {
    SecretMount mount = new SecretMount(dir);
    mount.publish(Map.of("htpasswd", Htpasswd.line("alice", "one") + "\n"));
    HtpasswdFile htpasswd = HtpasswdFile.open(mount.file("htpasswd"), clock);
    assertThat(htpasswd.bcryptHash("bob")).isEmpty();
    mount.publish(Map.of("htpasswd", Htpasswd.line("bob", "two") + "\n"));
    assertThat(htpasswd.bcryptHash("bob")).as("not re-checked before the interval").isEmpty();
    clock.advance(HtpasswdFile.CHECK_INTERVAL);
    assertThat(htpasswd.bcryptHash("bob")).isPresent();
    assertThat(htpasswd.bcryptHash("alice")).isEmpty();
  }

  @Test
  void aVanishedFileKeepsTheLastUsers() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    HtpasswdFile htpasswd = HtpasswdFile.open(file, clock);
    Files.delete(file);
    assertThat(htpasswd.reloadIfChanged()).isFalse();
    assertThat(htpasswd.bcryptHash("alice")).isPresent();
  }

  @Test
  void aMissingFileStopsTheStart() {
    assertThatThrownBy(() -> HtpasswdFile.open(dir.resolve("nope"), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.htpasswd.path").hasMessageContaining("nope");
  }

  @Test
  void failedAndUnknownUsersAreFailuresNeverExceptions() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(file, clock), LoginThrottle.withDefaults(clock), clock);
    InetAddress client = InetAddress.getByName("10.0.0.1");
    assertThat(login.check(new BasicCredentials("nobody", "one"), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", "x".repeat(500)), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", ""), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
  }

  /** The tool rule: under CI=true a missing tool fails the test; elsewhere the test is skipped with the reason. */
  static Path findTool(String name) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String reason = name + " is not installed (Debian package apache2-utils)";
    if ("true".equals(System.getenv("CI"))) {
      fail(reason);
    }
    assumeTrue(false, reason);
    return null;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " timed out");
    }
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
