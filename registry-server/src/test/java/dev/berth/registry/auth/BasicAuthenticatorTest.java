package dev.berth.registry.auth;

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
  void repeatedFailuresAreThrottledButAVerifiedUserIsNotLockedOut() {
    Authenticator auth = authenticator(false, List.of());
    // bob logs in successfully first: his password is in the verification cache.
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.BASE)).isInstanceOf(AuthDecision.Allowed.class);
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      AuthDecision.Refused refused = (AuthDecision.Refused) auth.authorize(request(Htpasswd.basic("alice", "guess" + i)), Scope.BASE);
      assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
    AuthDecision throttled = auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE);
    assertThat(throttled).as("even the right password waits while the address is throttled").isInstanceOf(AuthDecision.Refused.class);
    assertThat(((AuthDecision.Refused) throttled).code()).isEqualTo(ErrorCode.TOOMANYREQUESTS);
    assertThat(auth.authorize(request(Htpasswd.basic("bob", "builder")), Scope.BASE)).isEqualTo(new AuthDecision.Allowed("bob"));

    clock.advance(LoginThrottle.DEFAULT_BLOCK);
    assertThat(auth.authorize(request(Htpasswd.basic("alice", "wonderland")), Scope.BASE)).isEqualTo(new AuthDecision.Allowed("alice"));
  }

  @Test
  void theVerificationCacheExpires() throws Exception {
    LoginThrottle longBlock = new LoginThrottle(clock, LoginThrottle.DEFAULT_MAX_FAILURES, Duration.ofMinutes(1), Duration.ofMinutes(10), 100);
    PasswordLogin login = new PasswordLogin(HtpasswdFile.open(htpasswd, clock), longBlock, clock);
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client)).isInstanceOf(PasswordLogin.Result.Success.class);
    // Five failures block the address; a cached password still passes, an expired cache entry does not.
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      login.check(new BasicCredentials("alice", "guess" + i), client);
    }
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client)).isInstanceOf(PasswordLogin.Result.Success.class);
    clock.advance(PasswordLogin.CACHE_TTL.plus(Duration.ofSeconds(1)));
    assertThat(login.check(new BasicCredentials("alice", "wonderland"), client)).isInstanceOf(PasswordLogin.Result.Throttled.class);
  }

  @Test
  void credentialsNeverShowInToString() {
    assertThat(new BasicCredentials("alice", "wonderland").toString()).doesNotContain("wonderland").contains("alice");
  }
}
