package dev.berth.registry.auth;

import dev.berth.registry.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.registry.testsupport.ExternalTool;
import dev.berth.registry.tls.SecretMount;
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
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(file), LoginThrottle.withDefaults(clock), clock);
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
    HtpasswdFile htpasswd = HtpasswdFile.open(file);
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
    HtpasswdFile htpasswd = HtpasswdFile.open(file);
    PasswordLogin login = new PasswordLogin(htpasswd, LoginThrottle.withDefaults(clock), clock);
    assertThat(login.check(new BasicCredentials("alice", "one"), null)).isInstanceOf(PasswordLogin.Result.Success.class);

    Htpasswd.write(file, Htpasswd.line("alice", "two"), Htpasswd.line("bob", "three"));
    assertThat(htpasswd.reloadIfChanged()).isTrue();
    assertThat(login.check(new BasicCredentials("alice", "one"), null))
        .as("the old password, although cached, no longer matches the new entry").isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", "two"), null)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(login.check(new BasicCredentials("bob", "three"), null)).isInstanceOf(PasswordLogin.Result.Success.class);
  }

  @Test
  void followsAKubernetesSecretSymlinkSwap() throws Exception {
    SecretMount mount = new SecretMount(dir);
    mount.publish(Map.of("htpasswd", Htpasswd.line("alice", "one") + "\n"));
    HtpasswdFile htpasswd = HtpasswdFile.open(mount.file("htpasswd"));
    assertThat(htpasswd.bcryptHash("bob")).isEmpty();
    mount.publish(Map.of("htpasswd", Htpasswd.line("bob", "two") + "\n"));
    assertThat(htpasswd.bcryptHash("bob")).as("a lookup never reads the file: only the reload check does").isEmpty();
    assertThat(htpasswd.reloadIfChanged()).isTrue();
    assertThat(htpasswd.bcryptHash("bob")).isPresent();
    assertThat(htpasswd.bcryptHash("alice")).isEmpty();
  }

  @Test
  void theBackgroundWatcherPicksUpAChangedFileWithoutAnyLookup() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    try (HtpasswdFile htpasswd = HtpasswdFile.open(file)) {
      HtpasswdFile.Users before = htpasswd.users();
      htpasswd.watch(Duration.ofMillis(100));
      Htpasswd.write(file, Htpasswd.line("bob", "two"));
      // The proof is the new version being in service; no lookup triggers it.
      await().atMost(Duration.ofSeconds(10)).until(() -> htpasswd.users() != before);
      assertThat(htpasswd.bcryptHash("bob")).isPresent();
      assertThat(htpasswd.bcryptHash("alice")).isEmpty();
    }
  }

  @Test
  void unknownUsersAreCheckedAgainstADummyHashOfTheFilesCost() throws Exception {
    String cost7 = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(7, "pw".toCharArray());
    String cost6 = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(6, "pw".toCharArray());
    Path file = Htpasswd.write(dir.resolve("htpasswd"), "alice:" + cost7, "bob:" + cost7, "carol:" + cost6);
    HtpasswdFile htpasswd = HtpasswdFile.open(file);
    List<String> checkedAgainst = new java.util.ArrayList<>();
    PasswordLogin login = Htpasswd.recordingLogin(htpasswd, clock, checkedAgainst);
    assertThat(login.check(new BasicCredentials("mallory", "pw"), null)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(checkedAgainst).as("an unknown user costs one bcrypt check, as a known one does").hasSize(1);
    String dummy = checkedAgainst.get(0);
    assertThat(dummy).as("not a real user's hash").isNotIn(cost7, cost6);
    assertThat(HtpasswdFile.cost(dummy)).as("the cost most entries of the file use").isEqualTo(7);
    assertThat(PasswordLogin.bcryptMatches("pw", dummy)).as("no password opens the dummy").isFalse();

    Htpasswd.write(file, "carol:" + cost6);
    htpasswd.reloadIfChanged();
    login.check(new BasicCredentials("mallory", "pw"), null);
    assertThat(HtpasswdFile.cost(checkedAgainst.get(1))).as("a reload brings a dummy of the new file's cost").isEqualTo(6);
  }

  @Test
  void theUsualCostIsTheMostCommonOneAndTenForAnEmptyFile() {
    String h4 = "$2y$04$" + "a".repeat(53);
    String h12 = "$2y$12$" + "a".repeat(53);
    assertThat(HtpasswdFile.usualCost(List.of())).isEqualTo(HtpasswdFile.DEFAULT_COST);
    assertThat(HtpasswdFile.usualCost(List.of(h4, h12, h12))).isEqualTo(12);
    assertThat(HtpasswdFile.usualCost(List.of(h4, h4, h12))).isEqualTo(4);
    assertThat(HtpasswdFile.parse("x:$2y$99$" + "a".repeat(53), "test")).as("a cost bcrypt does not have").isEmpty();
  }

  @Test
  void aVanishedFileKeepsTheLastUsers() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    HtpasswdFile htpasswd = HtpasswdFile.open(file);
    Files.delete(file);
    assertThat(htpasswd.reloadIfChanged()).isFalse();
    assertThat(htpasswd.bcryptHash("alice")).isPresent();
  }

  @Test
  void aMissingFileStopsTheStart() {
    assertThatThrownBy(() -> HtpasswdFile.open(dir.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.htpasswd.path").hasMessageContaining("nope");
  }

  @Test
  void failedAndUnknownUsersAreFailuresNeverExceptions() throws Exception {
    Path file = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("alice", "one"));
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(file), LoginThrottle.withDefaults(clock), clock);
    InetAddress client = InetAddress.getByName("10.0.0.1");
    assertThat(login.check(new BasicCredentials("nobody", "one"), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", "x".repeat(500)), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
    assertThat(login.check(new BasicCredentials("alice", ""), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
  }

  /** The tool rule of every test: {@link ExternalTool} fails under CI and skips elsewhere when it is missing. */
  static Path findTool(String name) {
    return ExternalTool.require(name, "apache2-utils").path();
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
