package dev.berth.registry.auth;

import dev.berth.registry.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.tls.TestCertificates;
import dev.berth.registry.tls.TestCertificates.KeyFormat;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = Htpasswd.basic("alice", "wonderland");
  private static final String BOB = Htpasswd.basic("bob", "builder");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
  private Path htpasswd;
  private InetAddress client;

  @BeforeEach
  void users() throws Exception {
    htpasswd = Htpasswd.aliceAndBob(dir);
    client = InetAddress.getByName("203.0.113.5");
  }

  private static final List<RegistryConfig.AccessRule> RULES = List.of(
      new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push", "delete")),
      new RegistryConfig.AccessRule("*", "*", List.of("pull")));

  private Authenticator authenticator(Path signingKey, String realm, boolean anonymousPull, Clock clock) {
    RegistryConfig.Token token = new RegistryConfig.Token(realm, "berth.test", "berth-issuer", 300, signingKey);
    return Authenticators.fromConfig(new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), token,
        anonymousPull, RULES), clock);
  }

  private Authenticator authenticator() {
    return authenticator(null, "", false, clock);
  }

  private AuthRequest request(String authorization) {
    return new AuthRequest(authorization, client, "registry.example:5000", true);
  }

  private static Map<String, List<String>> query(String... pairs) {
    Map<String, List<String>> query = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      query.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return query;
  }

  private static TokenReply tokenReply(Authenticator auth, AuthRequest request, Map<String, List<String>> query) {
    return auth.tokenEndpoint().orElseThrow().handle(request, query);
  }

  private String token(Authenticator auth, String authorization, String... scopes) throws Exception {
    String[] pairs = new String[2 + scopes.length * 2];
    pairs[0] = "service";
    pairs[1] = "berth.test";
    for (int i = 0; i < scopes.length; i++) {
      pairs[2 + 2 * i] = "scope";
      pairs[3 + 2 * i] = scopes[i];
    }
    TokenReply reply = tokenReply(auth, request(authorization), query(pairs));
    assertThat(reply.status()).as(new String(reply.body())).isEqualTo(200);
    return JSON.readTree(reply.body()).get("token").asText();
  }

  private static List<Map<String, Object>> access(String token) throws Exception {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> access = (List<Map<String, Object>>) SignedJWT.parse(token).getJWTClaimsSet().getClaim("access");
    return access;
  }

  @Test
  void issuesASignedScopedTokenInTheProtocolsShape() throws Exception {
    Authenticator auth = authenticator();
    TokenReply reply = tokenReply(auth, request(ALICE),
        query("service", "berth.test", "scope", "repository:team-a/app:pull,push", "account", "alice"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers()).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control", "no-store");
    JsonNode body = JSON.readTree(reply.body());
    assertThat(body.get("token").asText()).isEqualTo(body.get("access_token").asText());
    assertThat(body.get("expires_in").asLong()).isEqualTo(300);
    assertThat(Instant.parse(body.get("issued_at").asText())).isEqualTo(clock.instant());

    SignedJWT jwt = SignedJWT.parse(body.get("token").asText());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwt.getHeader().getKeyID()).isNotBlank();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("berth-issuer");
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly("berth.test");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant());
    assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(clock.instant());
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(300));
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(access(body.get("token").asText()))
        .containsExactly(Map.of("type", "repository", "name", "team-a/app", "actions", List.of("pull", "push")));

    String token = body.get("token").asText();
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull", "push")))
        .isEqualTo(new AuthDecision.Allowed("alice"));
    assertThat(auth.authorize(request("Bearer " + token), Scope.BASE)).isEqualTo(new AuthDecision.Allowed("alice"));
    assertThat(tokenReply(auth, request(ALICE), query()).status()).as("service and scope are optional").isEqualTo(200);
  }

  @Test
  void eachTokenHasItsOwnId() throws Exception {
    Authenticator auth = authenticator();
    String first = token(auth, ALICE, "repository:team-a/app:pull");
    String second = token(auth, ALICE, "repository:team-a/app:pull");
    assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID()).isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
  }

  @Test
  void askingForMoreThanAllowedYieldsLessNotAnError() throws Exception {
    Authenticator auth = authenticator();
    String token = token(auth, BOB, "repository:team-a/app:pull,push,delete", "registry:catalog:*");
    assertThat(access(token)).containsExactly(
        Map.of("type", "repository", "name", "team-a/app", "actions", List.of("pull")),
        Map.of("type", "registry", "name", "catalog", "actions", List.of("*")));
    AuthDecision push = auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull", "push"));
    assertThat(push).isInstanceOf(AuthDecision.Refused.class);
    AuthDecision.Refused refused = (AuthDecision.Refused) push;
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(refused.wwwAuthenticate()).isEqualTo("Bearer realm=\"https://registry.example:5000/auth/token\","
        + "service=\"berth.test\",scope=\"repository:team-a/app:pull,push\",error=\"insufficient_scope\"");
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull"))).isEqualTo(new AuthDecision.Allowed("bob"));
    assertThat(auth.authorize(request("Bearer " + token), Scope.catalog())).isEqualTo(new AuthDecision.Allowed("bob"));

    String wildcard = token(auth, ALICE, "repository:team-a/app:*", "repository:team-a/app:pull");
    assertThat(access(wildcard)).containsExactly(
        Map.of("type", "repository", "name", "team-a/app", "actions", List.of("delete", "pull", "push")));
    assertThat(access(token(auth, BOB, "repository:team-b/app:push"))).as("nothing granted: an empty access list").isEmpty();
  }

  @Test
  void aTokenForOneRepositoryNeverOpensAnother() throws Exception {
    Authenticator auth = authenticator();
    String token = token(auth, ALICE, "repository:team-a/app:pull,push");
    for (String other : List.of("team-a/app2", "team-a/app/sub", "team-a", "team-b/app")) {
      AuthDecision decision = auth.authorize(request("Bearer " + token), Scope.repository(other, "pull"));
      assertThat(decision).as(other).isInstanceOf(AuthDecision.Refused.class);
      assertThat(((AuthDecision.Refused) decision).wwwAuthenticate()).contains("scope=\"repository:" + other + ":pull\"");
    }
    assertThat(auth.authorize(request("Bearer " + token), Scope.catalog())).isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "delete"))).isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void expiredTokensAreRefused() throws Exception {
    Authenticator auth = authenticator();
    String token = token(auth, ALICE, "repository:team-a/app:pull");
    clock.advance(Duration.ofSeconds(299));
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull"))).isInstanceOf(AuthDecision.Allowed.class);
    clock.advance(Duration.ofSeconds(1));
    AuthDecision decision = auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull"));
    assertThat(decision).isInstanceOf(AuthDecision.Refused.class);
    assertThat(((AuthDecision.Refused) decision).message()).isEqualTo("token has expired");
    assertThat(((AuthDecision.Refused) decision).wwwAuthenticate()).contains("error=\"invalid_token\"");
  }

  @Test
  void aTokenIssuedMidSecondLivesItsWholeLifetime() throws Exception {
    MutableClock midSecond = new MutableClock(Instant.parse("2026-11-20T10:00:00.900Z"));
    Authenticator auth = authenticator(null, "", false, midSecond);
    String token = token(auth, ALICE, "repository:team-a/app:pull");
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Instant.parse("2026-11-20T10:05:01Z"));

    midSecond.advance(Duration.ofMillis(300_099));
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull")))
        .as("300 s after it was asked for, the token still works").isInstanceOf(AuthDecision.Allowed.class);
    midSecond.advance(Duration.ofMillis(1));
    assertThat(auth.authorize(request("Bearer " + token), Scope.repository("team-a/app", "pull")))
        .isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void tokensFromTheFutureAreRefused() throws Exception {
    MutableClock earlier = new MutableClock(clock.instant().minus(Duration.ofMinutes(5)));
    // Same key: a second authenticator over the same signing key file with a clock five minutes behind.
    Path key = TestCertificates.write(dir.resolve("token.key"), TestCertificates.pem(TestCertificates.ecKeyPair("secp256r1"), KeyFormat.PKCS8));
    String future = token(authenticator(key, "", false, clock), ALICE, "repository:team-a/app:pull");
    AuthDecision decision = authenticator(key, "", false, earlier).authorize(request("Bearer " + future), Scope.repository("team-a/app", "pull"));
    assertThat(((AuthDecision.Refused) decision).message()).isEqualTo("token is not valid yet");
  }

  @Test
  void tamperedTokensAreRefused() throws Exception {
    Authenticator auth = authenticator();
    String token = token(auth, BOB, "repository:team-a/app:pull");
    String[] parts = token.split("\\.");
    // Give bob push by rewriting the payload and keeping the old signature.
    String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("[\"pull\"]", "[\"pull\",\"push\"]");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    AuthDecision decision = auth.authorize(request("Bearer " + forged), Scope.repository("team-a/app", "push"));
    assertThat(((AuthDecision.Refused) decision).message()).isEqualTo("token signature does not verify");

    char[] signature = parts[2].toCharArray();
    signature[5] = signature[5] == 'A' ? 'B' : 'A';
    String flipped = parts[0] + "." + parts[1] + "." + new String(signature);
    assertThat(auth.authorize(request("Bearer " + flipped), Scope.repository("team-a/app", "pull"))).isInstanceOf(AuthDecision.Refused.class);

    String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
    assertThat(auth.authorize(request("Bearer " + unsigned), Scope.repository("team-a/app", "pull"))).isInstanceOf(AuthDecision.Refused.class);
    assertThat(auth.authorize(request("Bearer not-a-jwt"), Scope.repository("team-a/app", "pull"))).isInstanceOf(AuthDecision.Refused.class);
  }

  @Test
  void tokensOfAnotherKeyServiceOrIssuerAreRefused() throws Exception {
    Path key = TestCertificates.write(dir.resolve("token.key"), TestCertificates.pem(TestCertificates.rsaKeyPair(2048), KeyFormat.TRADITIONAL));
    Authenticator auth = authenticator(key, "", false, clock);
    String good = token(auth, ALICE, "repository:team-a/app:pull");
    assertThat(SignedJWT.parse(good).getHeader().getAlgorithm().getName()).isEqualTo("RS256");

    TokenSigningKey signingKey = TokenSigningKey.load(key);
    TokenIssuer otherService = new TokenIssuer(signingKey, "berth-issuer", "other.service", Duration.ofMinutes(5), clock);
    TokenIssuer otherIssuer = new TokenIssuer(signingKey, "someone-else", "berth.test", Duration.ofMinutes(5), clock);
    TokenIssuer otherKey = new TokenIssuer(TokenSigningKey.ephemeral(), "berth-issuer", "berth.test", Duration.ofMinutes(5), clock);
    List<Scope> access = List.of(Scope.repository("team-a/app", "pull"));
    Scope pull = Scope.repository("team-a/app", "pull");

    assertThat(auth.authorize(request("Bearer " + good), pull)).isInstanceOf(AuthDecision.Allowed.class);
    assertThat(((AuthDecision.Refused) auth.authorize(request("Bearer " + otherService.issue("alice", access).token()), pull)).message())
        .isEqualTo("token is for another service");
    assertThat(((AuthDecision.Refused) auth.authorize(request("Bearer " + otherIssuer.issue("alice", access).token()), pull)).message())
        .isEqualTo("token was issued by another issuer");
    assertThat(((AuthDecision.Refused) auth.authorize(request("Bearer " + otherKey.issue("alice", access).token()), pull)).message())
        .startsWith("token algorithm");
  }

  @Test
  void wrongCredentialsGetTheUnauthorizedErrorJson() throws Exception {
    Authenticator auth = authenticator();
    TokenReply reply = tokenReply(auth, request(Htpasswd.basic("alice", "bad")), query("scope", "repository:team-a/app:pull"));
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"berth\"");
    JsonNode error = JSON.readTree(reply.body()).get("errors").get(0);
    assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(error.get("message").asText()).isEqualTo("invalid username or password");
    assertThat(new String(reply.body())).doesNotContain("bad");

    assertThat(tokenReply(auth, request(null), query("scope", "repository:team-a/app:pull")).status())
        .as("no anonymous tokens without anonymous pull").isEqualTo(401);
    assertThat(tokenReply(auth, request("Basic %%%"), query()).status()).isEqualTo(401);
  }

  @Test
  void theTokenEndpointIsThrottledToo() throws Exception {
    Authenticator auth = authenticator();
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      assertThat(tokenReply(auth, request(Htpasswd.basic("alice", "guess" + i)), query()).status()).isEqualTo(401);
    }
    TokenReply throttled = tokenReply(auth, request(ALICE), query());
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(JSON.readTree(throttled.body()).get("errors").get(0).get("code").asText()).isEqualTo("TOOMANYREQUESTS");
    assertThat(throttled.headers()).containsKey("Retry-After");
  }

  @Test
  void badRequestsGetClearErrors() throws Exception {
    Authenticator auth = authenticator();
    TokenReply wrongService = tokenReply(auth, request(ALICE), query("service", "elsewhere"));
    assertThat(wrongService.status()).isEqualTo(403);
    assertThat(new String(wrongService.body())).contains("elsewhere");
    TokenReply badScope = tokenReply(auth, request(ALICE), query("scope", "repository-only"));
    assertThat(badScope.status()).isEqualTo(400);
    assertThat(new String(badScope.body())).contains("NAME_INVALID").contains("expected <type>:<name>:<actions>");
    TokenReply badName = tokenReply(auth, request(ALICE), query("scope", "repository:../etc:pull"));
    assertThat(badName.status()).isEqualTo(400);
    TokenReply otherAccount = tokenReply(auth, request(ALICE), query("account", "bob"));
    assertThat(otherAccount.status()).isEqualTo(403);
    String many = String.join(" ", java.util.stream.IntStream.range(0, 100).mapToObj(i -> "repository:r" + i + ":pull").toList());
    assertThat(tokenReply(auth, request(ALICE), query("scope", many)).status()).isEqualTo(400);
  }

  @Test
  void spaceSeparatedScopesAreAllHonoured() throws Exception {
    Authenticator auth = authenticator();
    String token = token(auth, ALICE, "repository:team-a/one:pull repository:team-a/two:push");
    assertThat(access(token)).hasSize(2);
  }

  @Test
  void anonymousPullGivesPullOnlyTokensAndDirectPulls() throws Exception {
    Authenticator auth = authenticator(null, "https://auth.example/token", true, clock);
    String token = token(auth, null, "repository:team-a/app:pull,push", "registry:catalog:*");
    assertThat(access(token)).containsExactly(Map.of("type", "repository", "name", "team-a/app", "actions", List.of("pull")));
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getSubject()).isEqualTo("anonymous");
    assertThat(auth.authorize(request(null), Scope.repository("team-a/app", "pull"))).isEqualTo(new AuthDecision.Allowed("anonymous"));
    AuthDecision push = auth.authorize(request(null), Scope.repository("team-a/app", "pull", "push"));
    assertThat(((AuthDecision.Refused) push).wwwAuthenticate())
        .isEqualTo("Bearer realm=\"https://auth.example/token\",service=\"berth.test\",scope=\"repository:team-a/app:pull,push\"");
    AuthDecision base = auth.authorize(request(null), Scope.BASE);
    assertThat(((AuthDecision.Refused) base).wwwAuthenticate())
        .isEqualTo("Bearer realm=\"https://auth.example/token\",service=\"berth.test\"");
  }

  @Test
  void anonymousRulesGiveAnonymousTokensTheAllowedScopeOnly() throws Exception {
    RegistryConfig.Token tokenConfig = new RegistryConfig.Token("", "berth.test", "berth-issuer", 300, null);
    Authenticator auth = Authenticators.fromConfig(new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd),
        tokenConfig, false, List.of(
            new RegistryConfig.AccessRule("anonymous", "public/*", List.of("pull")),
            new RegistryConfig.AccessRule("*", "*", List.of("pull")))), clock);
    String anonymous = token(auth, null, "repository:public/base:pull,push", "repository:private/app:pull", "registry:catalog:*");
    assertThat(access(anonymous)).containsExactly(Map.of("type", "repository", "name", "public/base", "actions", List.of("pull")));
    assertThat(auth.authorize(request(null), Scope.repository("public/base", "pull"))).isEqualTo(new AuthDecision.Allowed("anonymous"));
    AuthDecision privatePull = auth.authorize(request(null), Scope.repository("private/app", "pull"));
    assertThat(((AuthDecision.Refused) privatePull).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(((AuthDecision.Refused) privatePull).wwwAuthenticate()).contains("scope=\"repository:private/app:pull\"");
    assertThat(auth.authorize(request("Bearer " + anonymous), Scope.repository("private/app", "pull")))
        .as("the anonymous token does not open the rest").isInstanceOf(AuthDecision.Refused.class);
    String bob = token(auth, BOB, "repository:private/app:pull");
    assertThat(access(bob)).containsExactly(Map.of("type", "repository", "name", "private/app", "actions", List.of("pull")));
  }

  @Test
  void whileThrottledTheTokenEndpointRefusesTheRightPasswordWithRetryAfter() throws Exception {
    Authenticator auth = authenticator();
    for (int i = 0; i < LoginThrottle.DEFAULT_MAX_FAILURES; i++) {
      assertThat(tokenReply(auth, request(Htpasswd.basic("alice", "guess" + i)), query()).status()).isEqualTo(401);
    }
    clock.advance(Duration.ofSeconds(20));
    TokenReply throttled = tokenReply(auth, request(ALICE), query("scope", "repository:team-a/app:pull"));
    assertThat(throttled.status()).as("no token for the right password inside the window").isEqualTo(429);
    assertThat(new String(throttled.body())).doesNotContain("token\"");
    assertThat(throttled.headers()).containsEntry("Retry-After",
        Long.toString(LoginThrottle.DEFAULT_BLOCK.minusSeconds(20).toSeconds()));
    clock.advance(LoginThrottle.DEFAULT_BLOCK.minusSeconds(20));
    assertThat(tokenReply(auth, request(ALICE), query("scope", "repository:team-a/app:pull")).status()).isEqualTo(200);
  }

  @Test
  void theDefaultRealmIsThisServerAsTheClientSawIt() {
    Authenticator auth = authenticator();
    AuthDecision plain = auth.authorize(new AuthRequest(null, client, "10.0.0.5:5000", false), Scope.BASE);
    assertThat(((AuthDecision.Refused) plain).wwwAuthenticate()).startsWith("Bearer realm=\"http://10.0.0.5:5000/auth/token\"");
    AuthDecision injected = auth.authorize(new AuthRequest(null, client, "evil\"\r\nX: y", true), Scope.BASE);
    assertThat(((AuthDecision.Refused) injected).wwwAuthenticate()).startsWith("Bearer realm=\"https://localhost/auth/token\"");
  }

  @Test
  void signingKeysAreCheckedAtStart() throws Exception {
    Path weak = TestCertificates.write(dir.resolve("weak.key"), TestCertificates.pem(TestCertificates.rsaKeyPair(1024), KeyFormat.PKCS8));
    Path p384 = TestCertificates.write(dir.resolve("p384.key"), TestCertificates.pem(TestCertificates.ecKeyPair("secp384r1"), KeyFormat.TRADITIONAL));
    Path notKey = TestCertificates.write(dir.resolve("cert.pem"), "not a key");
    assertThatThrownBy(() -> authenticator(weak, "", false, clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
    assertThatThrownBy(() -> authenticator(p384, "", false, clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    assertThatThrownBy(() -> authenticator(notKey, "", false, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.token.signingkey");
    assertThatThrownBy(() -> authenticator(dir.resolve("missing.key"), "", false, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.key");
    Path sec1 = TestCertificates.write(dir.resolve("ec.key"), TestCertificates.pem(TestCertificates.ecKeyPair("secp256r1"), KeyFormat.TRADITIONAL));
    assertThat(authenticator(sec1, "", false, clock).tokenEndpoint()).isPresent();
  }

  @Test
  void theKeyIsProvenOnceAtLoadSoAPrivateKeyThatDoesNotMatchItsPublicHalfStopsTheStart() {
    java.security.KeyPair one = TestCertificates.ecKeyPair("secp256r1");
    java.security.KeyPair other = TestCertificates.ecKeyPair("secp256r1");
    assertThatThrownBy(() -> TokenSigningKey.fromKeyPair(new java.security.KeyPair(one.getPublic(), other.getPrivate()), "mixed.pem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.token.signingkey mixed.pem").hasMessageContaining("does not verify");
    assertThat(TokenSigningKey.fromKeyPair(one, "one.pem").algorithm().getName()).isEqualTo("ES256");
  }
}
