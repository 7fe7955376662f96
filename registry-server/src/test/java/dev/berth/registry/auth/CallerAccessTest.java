package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.testsupport.MutableClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Authenticator#identify}: the caller of a listing filtered per repository gets exactly what the access rules
 * give them, with Basic credentials, with a bearer token of any scope, and without credentials.
 */
class CallerAccessTest {
  private static final String ALICE = Htpasswd.basic("alice", "wonderland");
  private static final String BOB = Htpasswd.basic("bob", "builder");
  private static final List<RegistryConfig.AccessRule> RULES = List.of(
      new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push", "delete")),
      new RegistryConfig.AccessRule("bob", "team-a/*", List.of("pull")),
      new RegistryConfig.AccessRule("bob", "team-b/*", List.of("pull", "push")));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
  private Path htpasswd;
  private InetAddress client;

  @BeforeEach
  void users() throws Exception {
    htpasswd = Htpasswd.aliceAndBob(dir);
    client = InetAddress.getByName("192.0.2.10");
  }

  private Authenticator basic(boolean anonymousPull) {
    return Authenticators.fromConfig(new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), null,
        anonymousPull, RULES), clock);
  }

  private Authenticator bearer(boolean anonymousPull) {
    RegistryConfig.Token token = new RegistryConfig.Token("", "berth.test", "berth-issuer", 300, null);
    return Authenticators.fromConfig(new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), token,
        anonymousPull, RULES), clock);
  }

  private AuthRequest request(String authorization) {
    return new AuthRequest(authorization, client, "registry.example:5000", false);
  }

  private CallerAccess.Known known(Authenticator auth, String authorization) {
    CallerAccess access = auth.identify(request(authorization));
    assertThat(access).isInstanceOf(CallerAccess.Known.class);
    return (CallerAccess.Known) access;
  }

  private static void assertRules(CallerAccess.Known alice, CallerAccess.Known bob) {
    assertThat(alice.subject()).isEqualTo("alice");
    assertThat(alice.mayPull("team-a/app")).isTrue();
    assertThat(alice.may("team-a/app", "delete")).isTrue();
    assertThat(alice.mayPull("team-b/app")).isFalse();
    assertThat(bob.subject()).isEqualTo("bob");
    assertThat(bob.mayPull("team-a/app")).isTrue();
    assertThat(bob.may("team-a/app", "delete")).isFalse();
    assertThat(bob.may("team-b/app", "push")).isTrue();
    assertThat(bob.mayPull("other")).isFalse();
  }

  @Test
  void basicCredentialsGetTheirRules() {
    Authenticator auth = basic(false);
    assertRules(known(auth, ALICE), known(auth, BOB));
  }

  @Test
  void aTokenOfAnyScopeGetsItsSubjectsRules() throws Exception {
    Authenticator auth = bearer(false);
    assertRules(known(auth, "Bearer " + token(auth, ALICE)), known(auth, "Bearer " + token(auth, BOB)));
  }

  @Test
  void withoutCredentialsAndNoAnonymousRulesTheChallengeComes() {
    CallerAccess basic = basic(false).identify(request(null));
    assertThat(basic).isInstanceOf(CallerAccess.Refused.class);
    assertThat(((CallerAccess.Refused) basic).refusal().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(((CallerAccess.Refused) basic).refusal().wwwAuthenticate()).isEqualTo("Basic realm=\"berth\"");

    CallerAccess bearer = bearer(false).identify(request(null));
    assertThat(bearer).isInstanceOf(CallerAccess.Refused.class);
    assertThat(((CallerAccess.Refused) bearer).refusal().wwwAuthenticate())
        .startsWith("Bearer realm=\"http://registry.example:5000/auth/token\"");
  }

  @Test
  void anonymousPullLetsRequestsWithoutCredentialsPullOnly() throws Exception {
    for (Authenticator auth : List.of(basic(true), bearer(true))) {
      CallerAccess.Known anonymous = known(auth, null);
      assertThat(anonymous.subject()).isEqualTo("anonymous");
      assertThat(anonymous.mayPull("team-b/app")).isTrue();
      assertThat(anonymous.may("team-b/app", "delete")).isFalse();
    }
    Authenticator bearer = bearer(true);
    CallerAccess.Known anonymousToken = known(bearer, "Bearer " + token(bearer, null));
    assertThat(anonymousToken.subject()).isEqualTo("anonymous");
    assertThat(anonymousToken.may("team-a/app", "push")).isFalse();
  }

  @Test
  void badCredentialsAreRefused() {
    CallerAccess wrongPassword = basic(true).identify(request(Htpasswd.basic("alice", "nope")));
    assertThat(wrongPassword).isInstanceOf(CallerAccess.Refused.class);
    assertThat(((CallerAccess.Refused) wrongPassword).refusal().code()).isEqualTo(ErrorCode.UNAUTHORIZED);

    CallerAccess badToken = bearer(true).identify(request("Bearer not.a.token"));
    assertThat(badToken).isInstanceOf(CallerAccess.Refused.class);
    assertThat(((CallerAccess.Refused) badToken).refusal().wwwAuthenticate()).contains("error=\"invalid_token\"");
  }

  @Test
  void withoutAuthEveryoneMayDoEverything() {
    CallerAccess.Known anyone = known(Authenticator.allowAll(), null);
    assertThat(anyone.may("any/repo", "delete")).isTrue();
  }

  /** A token for no scope at all, as a client gets after the challenge of {@code GET /v2/}. */
  private static String token(Authenticator auth, String authorization) throws Exception {
    TokenReply reply = auth.tokenEndpoint().orElseThrow().handle(
        new AuthRequest(authorization, InetAddress.getByName("192.0.2.10"), "registry.example:5000", false),
        Map.of("service", List.of("berth.test")));
    assertThat(reply.status()).as(new String(reply.body())).isEqualTo(200);
    return new ObjectMapper().readTree(reply.body()).get("token").asText();
  }
}
