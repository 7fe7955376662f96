package dev.berth.registry.auth;

import dev.berth.registry.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.ErrorCode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAuthenticatorTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
  private Path htpasswd;
  private InetAddress client;

  @BeforeEach
  void users() throws Exception {
    htpasswd = Htpasswd.aliceAndBob(dir);
    client = InetAddress.getByName("192.0.2.10");
  }

  private Authenticator authenticator(boolean anonymousPull, List<RegistryConfig.AccessRule> rules) {
    return Authenticators.fromConfig(
        new RegistryConfig.Auth(new RegistryConfig.Htpasswd("Berth Registry", htpasswd), null, anonymousPull, rules), clock);
  }

  private AuthRequest request(String authorization) {
    return new AuthRequest(authorization, client, "registry.example:5000", true);
  }

  @Test
  void rightPasswordPassesWrongPasswordGetsTheBasicChallenge() {
    Authenticator auth = authenticator(false, List.of());
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE))
        .isEqualTo(new AuthDecision.Allowed("alice"));
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.repository("any/repo", "pull", "push")))
        .as("without rules an authenticated user may do everything").isEqualTo(new AuthDecision.Allowed("alice"));

    AuthDecision wrong = auth.authorize(request(Htpasswd.basic("alice", "nope")), Scope.BASE);
    assertThat(wrong).isInstanceOf(AuthDecision.Refused.class);
    AuthDecision.Refused refused = (AuthDecision.Refused) wrong;
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(refused.wwwAuthenticate()).isEqualTo("Basic realm=\"Berth Registry\"");
    assertThat(refused.message()).doesNotContain("nope");
  }

  @Test
  void noCredentialsOrGarbageGetTheChallenge() {
    Authenticator auth = authenticator(false, List.of());
    for (String header : new String[] {null, "Basic !!!notbase64", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()),
        "Bearer abc", "Basic Og=="}) {
      AuthDecision decision = auth.authorize(request(header), Scope.repository("app", "pull"));
      assertThat(decision).as(String.valueOf(header)).isInstanceOf(AuthDecision.Refused.class);
      assertThat(((AuthDecision.Refused) decision).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
      assertThat(((AuthDecision.Refused) decision).wwwAuthenticate()).startsWith("Basic realm=");
    }
  }

  @Test
  void anonymousPullOpensPullingOnly() {
    Authenticator auth = authenticator(true, List.of());
    assertThat(auth.authorize(request(null), Scope.repository("team-a/app", "pull"))).isEqualTo(new AuthDecision.Allowed("anonymous"));
    assertThat(auth.authorize(request("Basic Og=="), Scope.repository("team-a/app", "pull")))
        .as("containers/image sends empty credentials when it has none").isEqualTo(new AuthDecision.Allowed("anonymous"));
    assertThat(auth.authorize(request(null), Scope.repository("team-a/app", "pull", "push"))).isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request(null), Scope.repository("team-a/app", "delete"))).isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request(null), Scope.catalog())).isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request(null), Scope.BASE))
        .as("the base check still challenges, or docker login would never send credentials")
        .isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.repository("team-a/app", "push")))
        .isEqualTo(new AuthDecision.Allowed("bob"));
  }

  @Test
  void anonymousRulesOpenPublicRepositoriesForPullAndTheRestNeedsALogin() {
    Authenticator auth = authenticator(false, List.of(
        new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull")),
        new RegistryConfig.AccessRule("*", "*", List.of("pull")),
        new RegistryConfig.AccessRule("alice", "*", List.of("pull", "push"))));
    assertThat(auth.authorize(request(null), Scope.repository("public/base", "pull"))).isEqualTo(new AuthDecision.Allowed("anonymous"));
    assertThat(auth.authorize(request("Basic Og=="), Scope.repository("public/tools/ci", "pull"))).isEqualTo(new AuthDecision.Allowed("anonymous"));
    for (Scope scope : List.of(Scope.repository("private/app", "pull"), Scope.repository("public-ish", "pull"),
        Scope.repository("public/base", "pull", "push"), Scope.repository("public/base", "delete"), Scope.catalog(), Scope.BASE)) {
      AuthDecision decision = auth.authorize(request(null), scope);
      assertThat(decision).as(scope.toString()).isInstanceOf(AuthDecision.Refused.class);
      assertThat(((AuthDecision.Refused) decision).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
      assertThat(((AuthDecision.Refused) decision).wwwAuthenticate()).as("so the client logs in").startsWith("Basic realm=");
    }
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.repository("private/app", "pull")))
        .as("\"*\" covers signed-in users").isEqualTo(new AuthDecision.Allowed("bob"));
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.repository("public/base", "push")))
        .isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.repository("public/base", "push")))
        .isEqualTo(new AuthDecision.Allowed("alice"));
  }

  @Test
  void rulesForAnonymousAloneLeaveSignedInUsersTheirFullAccess() {
    Authenticator auth = authenticator(false, List.of(new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull"))));
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.repository("private/app", "pull", "push", "delete")))
        .isEqualTo(new AuthDecision.Allowed("bob"));
    assertThat(auth.authorize(request(null), Scope.repository("private/app", "pull"))).isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void aSignedInUserNamedAnonymousDoesNotGetTheAnonymousRules() throws Exception {
    htpasswd = Htpasswd.write(dir.resolve("htpasswd"), Htpasswd.line("anonymous", "pw"), Htpasswd.line("bob", "builder"));
    Authenticator auth = authenticator(false, List.of(
        new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull")),
        new RegistryConfig.AccessRule("bob", "*", List.of("pull"))));
    assertThat(auth.authorize(request(Htpasswd.basic("anonymous", "pw")), Scope.repository("public/base", "pull")))
        .isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void accessRulesDecideWhatAnAuthenticatedUserMayDo() {
    Authenticator auth = authenticator(false, List.of(
        new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push", "delete")),
        new RegistryConfig.AccessRule("*", "*", List.of("pull"))));
    String alice = Htpasswd.basic("alice", "wonderland");
    String bob = Htpasswd.basic("bob", "builder");
    assertThat(auth.authorize(request(alice), Scope.repository("team-a/app", "pull", "push"))).isEqualTo(new AuthDecision.Allowed("alice"));
    assertThat(auth.authorize(request(alice), Scope.repository("team-a/tools/ci", "delete"))).isEqualTo(new AuthDecision.Allowed("alice"));
    assertThat(auth.authorize(request(bob), Scope.repository("team-a/app", "pull"))).isEqualTo(new AuthDecision.Allowed("bob"));
    assertThat(auth.authorize(request(bob), Scope.catalog())).isEqualTo(new AuthDecision.Allowed("bob"));

    AuthDecision denied = auth.authorize(request(alice), Scope.repository("team-b/app", "pull", "push"));
    assertThat(denied).isInstanceOf(AuthDecision.Refused.class);
    assertThat(((AuthDecision.Refused) denied).code()).isEqualTo(ErrorCode.DENIED);
    assertThat(((AuthDecision.Refused) denied).wwwAuthenticate()).isNull();
    assertThat(auth.authorize(request(bob), Scope.repository("team-a/app", "push"))).isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void whileThrottledEveryAttemptGets429UncheckedTheRightPasswordIncludedUntilTheWindowEnds() {
    Authenticator auth = authenticator(false, List.of());
    // alice logs in first: her password is in the verification cache, and still must not pass while throttled.
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE)).isInstanceOf(AuthDecision.Allowed.class);
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      AuthDecision.Refused refused = (AuthDecision.Refused) auth.authorize(request(Htpasswd.basic("alice", "guess" + i)), Scope.BASE);
      assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
    for (String[] attempt : new String[][] {{"alice", "wonderland"}, {"bob", "builder"}, {"alice", "guess-more"}}) {
      AuthDecision decision = auth.authorize(request(Htpasswd.basic(attempt[0], attempt[1])), Scope.BASE);
      assertThat(decision).as(attempt[0] + ":" + attempt[1]).isInstanceOf(AuthDecision.Refused.class);
      AuthDecision.Refused throttled = (AuthDecision.Refused) decision;
      assertThat(throttled.code()).isEqualTo(ErrorCode.TOOMANYREQUESTS);
      assertThat(throttled.retryAfter()).as("seconds until the window ends").isEqualTo(LoginThrottle.DEFAULT_BLOCK);
    }
    clock.advance(Duration.ofSeconds(59).plusMillis(500));
    AuthDecision.Refused nearlyOver = (AuthDecision.Refused) auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE);
    assertThat(nearlyOver.retryAfter()).as("rounded up, never 0").isEqualTo(Duration.ofSeconds(1));
    assertThat(nearlyOver.message()).contains("retry in 1s");

    clock.advance(Duration.ofMillis(500));
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE)).isEqualTo(new AuthDecision.Allowed("alice"));
  }

  @Test
  void theThrottleCountsUnknownUsersAndRefusesUncheckedPasswords() throws Exception {
    List<String> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    PasswordLogin login = Htpasswd.recordingLogin(HtpasswdFile.open(htpasswd), clock, checks);
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      assertThat(login.check(new BasicCredentials("nobody" + i, "x"), client)).isInstanceOf(PasswordLogin.Result.Failure.class);
    }
    assertThat(checks).hasSize(LoginThrottle.DEFAULT_MAX_FAILURES);
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client)).isInstanceOf(PasswordLogin.Result.Throttled.class);
    assertThat(checks).as("a throttled attempt costs no bcrypt check").hasSize(LoginThrottle.DEFAULT_MAX_FAILURES);
  }

  @Test
  void anAccountGuessedFromManyAddressesIsThrottledForEveryAddress() throws Exception {
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(htpasswd), LoginThrottle.withDefaults(clock), clock);
    for (int i = 0; i < LoginThrottle.DEFAULT_ACCOUNT_MAX_FAILURES; i++) {
      InetAddress guesser = InetAddress.getByName("198.51.100." + (i + 1));
      assertThat(login.check(new BasicCredentials("alice", "guess" + i), guesser)).isInstanceOf(PasswordLogin.Result.Failure.class);
    }
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client))
        .as("alice's account is throttled, from a fresh address too").isInstanceOf(PasswordLogin.Result.Throttled.class);
    assertThat(login.check(new BasicCredentials("bob", "builder"), client))
        .as("other accounts from that address are not").isEqualTo(new PasswordLogin.Result.Success("bob"));
    clock.advance(LoginThrottle.DEFAULT_BLOCK);
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client)).isEqualTo(new PasswordLogin.Result.Success("alice"));
  }

  @Test
  void theVerificationCacheSparesBcryptUntilItExpires() throws Exception {
    List<String> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    PasswordLogin login = Htpasswd.recordingLogin(HtpasswdFile.open(htpasswd), clock, checks);
    BasicCredentials alice = new BasicCredentials("alice", "wonderland");
    assertThat(login.check(alice, client)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(login.check(alice, client)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(checks).as("the second login came from the cache").hasSize(1);
    clock.advance(PasswordLogin.CACHE_TTL.plus(Duration.ofSeconds(1)));
    assertThat(login.check(alice, client)).isInstanceOf(PasswordLogin.Result.Success.class);
    assertThat(checks).as("verified again after the entry expired").hasSize(2);
  }

  @Test
  void credentialsNeverShowInToString() {
    assertThat(new BasicCredentials("alice", "wonderland").toString()).doesNotContain("wonderland").contains("alice");
  }
}
