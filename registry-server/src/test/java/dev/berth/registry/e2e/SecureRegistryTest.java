package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.registry.auth.HtpasswdFile;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.UploadSession;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.GeneratedContent;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.ProcessResult;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.Access;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import dev.berth.registry.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 end to end: a TLS registry with a certificate from a test CA, driven by skopeo 1.9 and Java's HttpClient,
 * with htpasswd Basic auth (file written by the real {@code htpasswd -B}), token auth with access rules, certificate
 * rotation under a running download, and the plain-HTTP redirect port. Certificate verification is on in every
 * client here.
 */
class SecureRegistryTest {
  private static final String ALICE_PASSWORD = "alice-s3cret";
  private static final String BOB_PASSWORD = "bob-s3cret";

  @TempDir static Path shared;
  private static TestCertificates.Issued ca;
  private static Path source;
  private static OciImage image;

  @TempDir Path temp;
  private final AtomicInteger pulls = new AtomicInteger();

  @BeforeAll
  static void makeCaAndImage() {
    ca = TestCertificates.ca("berth-test-ca");
    source = shared.resolve("source");
    image = new OciImageFactory(source, 5).addImage("v1", 256 << 10, 64 << 10);
  }

  @Nested
  class Https {
    @Test
    void skopeoPushesAndPullsTrustingTheCaFromItsCertDir() {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      Skopeo skopeo = Skopeo.require(temp).with(Access.verified(certs.clientCertDir()));
      try (BerthRegistry registry = startRegistry(certs, RegistryConfig.Auth.none(), false)) {
        String remote = Skopeo.docker(registry.hostPort(), "team/app", "v1");
        push(skopeo, remote);
        assertServesTheImage(skopeo, remote);
        assertPullsTheImage(skopeo, remote);
        assertThat(new DistributionLayout(registry.root()).taggedDigest("team/app", "v1")).isEqualTo(image.manifest());
      }
    }

    @Test
    void skopeoRefusesTheCertificateWithoutTheCa() {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      Skopeo skopeo = Skopeo.require(temp).with(Access.verifiedBySystemTrust());
      try (BerthRegistry registry = startRegistry(certs, RegistryConfig.Auth.none(), false)) {
        ProcessResult refused = skopeo.tryCopy(Skopeo.oci(source, "v1"),
            Skopeo.docker(registry.hostPort(), "team/app", "v1"));
        assertThat(refused.succeeded()).as(refused.describe()).isFalse();
        assertThat(refused.stderr()).contains("x509: certificate signed by unknown authority");
        assertThat(new DistributionLayout(registry.root()).tagsByRepository()).isEmpty();
      }
    }
  }

  @Nested
  class BasicAuth {
    @Test
    void theRightCredentialsPushAndPullAndNothingElseDoes() {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      RegistryConfig.Auth auth = basicAuth(false);
      Access trusted = Access.verified(certs.clientCertDir());
      Skopeo skopeo = Skopeo.require(temp);
      try (BerthRegistry registry = startRegistry(certs, auth, false)) {
        String remote = Skopeo.docker(registry.hostPort(), "team-a/app", "v1");
        push(skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD)), remote);
        assertPullsTheImage(skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD)), remote);

        ProcessResult wrongPassword = skopeo.with(trusted.withCredentials("alice", "not-her-password"))
            .tryCopy(remote, Skopeo.oci(temp.resolve("wrong"), "v1"));
        assertThat(wrongPassword.succeeded()).as(wrongPassword.describe()).isFalse();
        assertThat(wrongPassword.stderr()).contains("unauthorized: invalid username or password");
        ProcessResult anonymous = skopeo.with(trusted).tryCopy(remote, Skopeo.oci(temp.resolve("anonymous"), "v1"));
        assertThat(anonymous.succeeded()).as(anonymous.describe()).isFalse();
        assertThat(anonymous.stderr()).contains("unauthorized: authentication required");

        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        HttpResponse<String> wrong = api.get("/v2/team-a/app/tags/list", HttpsApi.basic("alice", "not-her-password"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(HttpsApi.errorCode(wrong)).isEqualTo("UNAUTHORIZED");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"berth\"");
        HttpResponse<String> none = api.get("/v2/team-a/app/tags/list", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(HttpsApi.errorCode(none)).isEqualTo("UNAUTHORIZED");
        HttpResponse<String> right = api.get("/v2/team-a/app/tags/list", HttpsApi.basic("alice", ALICE_PASSWORD));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(HttpsApi.json(right.body()).path("tags").toString()).isEqualTo("[\"v1\"]");
      }
    }

    @Test
    void anonymousPullOpensPullingButNotPushing() {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      Access trusted = Access.verified(certs.clientCertDir());
      Skopeo skopeo = Skopeo.require(temp);
      try (BerthRegistry registry = startRegistry(certs, basicAuth(true), false)) {
        String remote = Skopeo.docker(registry.hostPort(), "team-a/app", "v1");
        push(skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD)), remote);

        assertPullsTheImage(skopeo.with(trusted), remote);
        ProcessResult anonymousPush = skopeo.with(trusted)
            .tryCopy(Skopeo.oci(source, "v1"), Skopeo.docker(registry.hostPort(), "team-a/app", "anonymous"));
        assertThat(anonymousPush.succeeded()).as(anonymousPush.describe()).isFalse();
        assertThat(anonymousPush.stderr()).contains("unauthorized: authentication required");
        assertThat(new DistributionLayout(registry.root()).tagsByRepository())
            .isEqualTo(Map.of("team-a/app", List.of("v1")));

        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        HttpResponse<String> upload = api.send(HttpRequest.newBuilder(api.uri("/v2/team-a/app/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(401);
        assertThat(HttpsApi.errorCode(upload)).isEqualTo("UNAUTHORIZED");
      }
    }

    @Test
    void afterFiveWrongPasswordsTheRightOneGets429WithRetryAfterOverHttp() throws Exception {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      try (BerthRegistry registry = startRegistry(certs, basicAuth(false), false)) {
        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        for (int i = 0; i < 5; i++) {
          assertThat(api.get("/v2/", HttpsApi.basic("alice", "guess" + i)).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = api.get("/v2/", HttpsApi.basic("alice", ALICE_PASSWORD));
        assertThat(throttled.statusCode()).as("the right password is not checked inside the window").isEqualTo(429);
        assertThat(HttpsApi.errorCode(throttled)).isEqualTo("TOOMANYREQUESTS");
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
      }
    }

    @Test
    void passwordChangesAndNewUsersInTheHtpasswdFileTakeEffectWithoutARestart() throws Exception {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      ListAppender<ILoggingEvent> reloads = new ListAppender<>();
      reloads.setContext(context);
      reloads.start();
      ch.qos.logback.classic.Logger htpasswdLog = context.getLogger(HtpasswdFile.class);
      ch.qos.logback.classic.Level level = htpasswdLog.getLevel();
      htpasswdLog.setLevel(ch.qos.logback.classic.Level.INFO); // whatever another test set the root level to
      htpasswdLog.addAppender(reloads);
      try (BerthRegistry registry = startRegistry(certs, basicAuth(false), false)) {
        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        assertThat(api.get("/v2/", HttpsApi.basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(200);

        // Both users in one file swap, so one reload brings both (htpasswd -B edits the file in place, twice).
        Path staged = temp.resolve("htpasswd.next");
        HtpasswdCommand htpasswd = HtpasswdCommand.require();
        htpasswd.write(staged, Map.of("alice", "alice-rotated", "bob", BOB_PASSWORD));
        java.nio.file.Files.move(staged, temp.resolve("htpasswd"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // The proof is the watcher's log line, not refused logins (the login throttle counts those).
        await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(reloads.list).stream()
            .anyMatch(event -> event.getFormattedMessage().endsWith("reloaded: 2 user(s)")));

        HttpResponse<String> oldPassword = api.get("/v2/", HttpsApi.basic("alice", ALICE_PASSWORD));
        assertThat(oldPassword.statusCode()).isEqualTo(401);
        assertThat(HttpsApi.errorCode(oldPassword)).isEqualTo("UNAUTHORIZED");
        assertThat(api.get("/v2/", HttpsApi.basic("alice", "alice-rotated")).statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/", HttpsApi.basic("bob", BOB_PASSWORD)).statusCode()).isEqualTo(200);
      } finally {
        htpasswdLog.detachAppender(reloads);
        htpasswdLog.setLevel(level);
      }
    }

    private RegistryConfig.Auth basicAuth(boolean anonymousPull) {
      Path htpasswd = HtpasswdCommand.require().write(temp.resolve("htpasswd"), Map.of("alice", ALICE_PASSWORD));
      return new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), null, anonymousPull, List.of());
    }
  }

  /** One token-auth registry for the class; alice pushes team-a/app:v1 once, through skopeo's token flow. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TokenAuth {
    private ServingCertificates certs;
    private BerthRegistry registry;
    private HttpsApi api;
    private Access trusted;
    private String teamA;

    @BeforeAll
    void startAndPushAsAlice(@TempDir Path classTemp) {
      certs = ServingCertificates.create(ca, classTemp.resolve("pki"));
      registry = BerthRegistry.start(
          BerthConfigs.loopback(classTemp.resolve("root"), 0, certs.config(), tokenAuth(classTemp, 300), false));
      api = new HttpsApi(certs.clientContext(), registry.port());
      trusted = Access.verified(certs.clientCertDir());
      teamA = Skopeo.docker(registry.hostPort(), "team-a/app", "v1");
      push(Skopeo.require(classTemp).with(trusted.withCredentials("alice", ALICE_PASSWORD)), teamA);
    }

    @AfterAll
    void stop() {
      if (registry != null) {
        registry.close();
      }
    }

    @Test
    void theRegistryChallengesForABearerTokenFromItsOwnEndpoint() {
      HttpResponse<String> basic = api.get("/v2/team-a/app/tags/list", HttpsApi.basic("alice", ALICE_PASSWORD));
      assertThat(basic.statusCode()).isEqualTo(401);
      assertThat(basic.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"https://"
          + registry.hostPort() + "/auth/token\",service=\"berth\",scope=\"repository:team-a/app:pull\"");
    }

    @Test
    void alicePullsWhatShePushedAndBobPullsIt() {
      Skopeo skopeo = Skopeo.require(temp);
      assertServesTheImage(skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD)), teamA);
      assertPullsTheImage(skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD)), teamA);
      assertPullsTheImage(skopeo.with(trusted.withCredentials("bob", BOB_PASSWORD)), teamA);
    }

    @Test
    void alicePushesTheSameImageIntoAnotherTeamARepository() {
      // Every blob is already in team-a/app, so skopeo asks to mount them: its token must carry pull on the source.
      String copy = Skopeo.docker(registry.hostPort(), "team-a/copy", "v1");
      Skopeo alice = Skopeo.require(temp).with(trusted.withCredentials("alice", ALICE_PASSWORD));
      push(alice, copy);
      assertPullsTheImage(alice, copy);
      assertThat(new DistributionLayout(registry.root()).taggedDigest("team-a/copy", "v1")).isEqualTo(image.manifest());
    }

    @Test
    void bobMayNotPushAndAliceMayNotPushOutsideTeamA() {
      Skopeo skopeo = Skopeo.require(temp);
      ProcessResult bob = skopeo.with(trusted.withCredentials("bob", BOB_PASSWORD))
          .tryCopy(Skopeo.oci(source, "v1"), Skopeo.docker(registry.hostPort(), "team-a/app", "by-bob"));
      assertThat(bob.succeeded()).as(bob.describe()).isFalse();
      assertThat(bob.stderr()).contains("unauthorized: token does not grant repository:team-a/app:pull,push");
      ProcessResult alice = skopeo.with(trusted.withCredentials("alice", ALICE_PASSWORD))
          .tryCopy(Skopeo.oci(source, "v1"), Skopeo.docker(registry.hostPort(), "team-b/app", "v1"));
      assertThat(alice.succeeded()).as(alice.describe()).isFalse();
      assertThat(alice.stderr()).contains("unauthorized: token does not grant repository:team-b/app:pull,push");
      assertThat(new DistributionLayout(registry.root()).tagsByRepository())
          .doesNotContainKey("team-b/app").containsEntry("team-a/app", List.of("v1"));
    }

    @Test
    void aTokenForOneRepositoryDoesNotOpenAnother() {
      String token = api.token("alice", ALICE_PASSWORD, "repository:team-a/app:pull");
      assertThat(api.get("/v2/team-a/app/tags/list", HttpsApi.bearer(token)).statusCode()).isEqualTo(200);

      HttpResponse<String> other = api.get("/v2/team-b/app/tags/list", HttpsApi.bearer(token));
      assertThat(other.statusCode()).isEqualTo(401);
      assertThat(HttpsApi.errorCode(other)).isEqualTo("UNAUTHORIZED");
      assertThat(other.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"").contains("scope=\"repository:team-b/app:pull\"");
    }

    @Test
    void askingForMoreThanTheRulesAllowYieldsATokenWithoutIt() {
      String bobs = api.token("bob", BOB_PASSWORD, "repository:team-a/app:pull,push,delete");
      assertThat(accessClaim(bobs)).isEqualTo(Map.of("repository:team-a/app", List.of("pull")));
      String alices = api.token("alice", ALICE_PASSWORD,
          "repository:team-b/app:pull,push", "repository:team-a/app:push");
      assertThat(accessClaim(alices)).isEqualTo(Map.of("repository:team-b/app", List.of("pull"),
          "repository:team-a/app", List.of("push")));

      HttpResponse<String> upload = api.send(HttpRequest.newBuilder(api.uri("/v2/team-a/app/blobs/uploads/"))
          .header("Authorization", HttpsApi.bearer(bobs)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).isEqualTo(401);
      assertThat(upload.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"");
    }

    @Test
    void aTamperedTokenIsRefused() {
      String token = api.token("bob", BOB_PASSWORD, "repository:team-a/app:pull");
      JwtParts parts = JwtParts.of(token);
      ObjectNode widened = parts.claims();
      widened.putArray("access").addObject().put("type", "repository").put("name", "team-a/app")
          .putArray("actions").add("pull").add("push");
      String tampered = parts.withClaims(widened);

      HttpResponse<String> refused = api.get("/v2/team-a/app/tags/list", HttpsApi.bearer(tampered));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(HttpsApi.errorCode(refused)).isEqualTo("UNAUTHORIZED");
      assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
      assertThat(api.get("/v2/team-a/app/tags/list", HttpsApi.bearer(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefused() throws InterruptedException {
      ServingCertificates shortLived = ServingCertificates.create(ca, temp.resolve("pki"));
      try (BerthRegistry oneSecond = startRegistry(shortLived, tokenAuth(temp, 1), false)) {
        HttpsApi client = new HttpsApi(shortLived.clientContext(), oneSecond.port());
        // Ask late in a wall-clock second: JWT times are whole seconds, and an expiry rounded down would leave this
        // one-second token only a few milliseconds to live.
        awaitLateInASecond();
        String token = client.token("alice", ALICE_PASSWORD, "repository:team-a/app:pull");
        Instant received = Instant.now();
        assertThat(client.get("/v2/", HttpsApi.bearer(token)).statusCode()).isEqualTo(200);

        // Expiry is the issue instant plus 1 s rounded up to a whole second: always less than 2 s after receipt.
        Thread.sleep(Math.max(0, Duration.ofSeconds(2).minus(Duration.between(received, Instant.now())).toMillis()));
        HttpResponse<String> expired = client.get("/v2/", HttpsApi.bearer(token));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(HttpsApi.errorCode(expired)).isEqualTo("UNAUTHORIZED");
        assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(HttpsApi.json(expired.body()).path("errors").path(0).path("message").asText()).contains("expired");
      }
    }

    /** Sleeps (at most a second) until the wall clock is in the last 50 ms of a second. */
    private void awaitLateInASecond() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofMillis(1100).toNanos();
      while (Instant.now().getNano() < 950_000_000 && System.nanoTime() < deadline) {
        Thread.sleep(Math.max(1, (950_000_000 - Instant.now().getNano()) / 1_000_000));
      }
    }

    private RegistryConfig.Auth tokenAuth(Path dir, long expirationSeconds) {
      Map<String, String> users = new LinkedHashMap<>();
      users.put("alice", ALICE_PASSWORD);
      users.put("bob", BOB_PASSWORD);
      Path htpasswd = HtpasswdCommand.require().write(dir.resolve("htpasswd"), users);
      return new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd),
          new RegistryConfig.Token("", "berth", "berth", expirationSeconds, null), false, List.of(
              new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push")),
              new RegistryConfig.AccessRule("alice", "*", List.of("pull")),
              new RegistryConfig.AccessRule("bob", "*", List.of("pull"))));
    }

    /** The token's {@code access} claim as {@code type:name -> actions}. */
    private Map<String, List<String>> accessClaim(String token) {
      Map<String, List<String>> access = new LinkedHashMap<>();
      for (JsonNode entry : JwtParts.of(token).claims().path("access")) {
        List<String> actions = new ArrayList<>();
        entry.path("actions").forEach(action -> actions.add(action.asText()));
        access.put(entry.path("type").asText() + ":" + entry.path("name").asText(), actions);
      }
      return access;
    }
  }

  @Nested
  class CertificateRotation {
    private static final long BLOB_SIZE = 200L << 20;
    private static final long READ_BEFORE_ROTATION = 16L << 20;
    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(20);

    @Test
    void aRunningDownloadFinishesWhileNewConnectionsGetTheNewCertificate() throws IOException, InterruptedException {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      // Stored in-process before the server starts: the download under rotation is what this test is about, and a
      // 200 MiB upload through TLS would double its time.
      Digest pushed = storeBlob(temp.resolve("root"), "big/blob", new GeneratedContent(11, BLOB_SIZE));
      try (BerthRegistry registry = startRegistry(certs, RegistryConfig.Auth.none(), false)) {
        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        BigInteger oldSerial = certs.serving().getSerialNumber();
        assertThat(api.certificateOfNewConnection().getSerialNumber()).isEqualTo(oldSerial);

        HttpResponse<InputStream> download = api.send(HttpRequest.newBuilder(api.uri("/v2/big/blob/blobs/" + pushed))
            .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(HttpsApi.serialOf(download)).isEqualTo(oldSerial);
        MessageDigest hasher = HttpsApi.sha256();
        try (InputStream body = download.body()) {
          long read = readUpTo(body, hasher, READ_BEFORE_ROTATION);
          assertThat(read).isEqualTo(READ_BEFORE_ROTATION);

          BigInteger newSerial = certs.rotate().getSerialNumber();
          assertThat(newSerial).isNotEqualTo(oldSerial);
          assertThat(awaitServedSerial(api, newSerial)).isEqualTo(newSerial);

          read += readUpTo(body, hasher, Long.MAX_VALUE);
          assertThat(read).isEqualTo(BLOB_SIZE);
        }
        assertThat(new Digest("sha256", HexFormat.of().formatHex(hasher.digest()))).isEqualTo(pushed);
        assertThat(certs.serving().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());

        HttpResponse<String> afterwards = api.get("/v2/", null);
        assertThat(afterwards.statusCode()).isEqualTo(200);
      }
    }

    /** Writes {@code content} into the storage at {@code root} as a blob of {@code repository}; returns its digest. */
    private Digest storeBlob(Path root, String repository, InputStream content) throws IOException {
      UploadSession upload = new FilesystemStorage(root).startUpload(RepositoryName.parse(repository));
      MessageDigest hasher = HttpsApi.sha256();
      byte[] buffer = new byte[1 << 20];
      for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
        hasher.update(buffer, 0, n);
        upload.append(ByteBuffer.wrap(buffer, 0, n));
      }
      Digest digest = new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
      assertThat(upload.complete(digest).size()).isEqualTo(BLOB_SIZE);
      return digest;
    }

    /** Polls new handshakes (bounded) until one presents {@code expected}; returns the last serial seen. */
    private BigInteger awaitServedSerial(HttpsApi api, BigInteger expected) throws InterruptedException {
      long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
      BigInteger seen = api.certificateOfNewConnection().getSerialNumber();
      while (!seen.equals(expected) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        seen = api.certificateOfNewConnection().getSerialNumber();
      }
      return seen;
    }

    private long readUpTo(InputStream in, MessageDigest hasher, long limit) throws IOException {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      while (total < limit) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
        if (n < 0) {
          break;
        }
        hasher.update(buffer, 0, n);
        total += n;
      }
      return total;
    }
  }

  @Nested
  class RedirectPort {
    @Test
    void plainHttpGets308ToTheSamePathOverHttps() {
      ServingCertificates certs = ServingCertificates.create(ca, temp.resolve("pki"));
      try (BerthRegistry registry = startRegistry(certs, RegistryConfig.Auth.none(), true)) {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        String path = "/v2/team/app/tags/list?n=10";
        HttpResponse<String> get = sendPlain(plain, HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + registry.redirectPort() + path)).GET().build());
        assertThat(get.statusCode()).isEqualTo(308);
        assertThat(get.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + registry.port() + path);

        HttpResponse<String> put = sendPlain(plain, HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + registry.redirectPort() + "/v2/team/app/manifests/v1"))
            .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.statusCode()).isEqualTo(308);
        assertThat(put.headers().firstValue("Location"))
            .hasValue("https://127.0.0.1:" + registry.port() + "/v2/team/app/manifests/v1");

        HttpsApi api = new HttpsApi(certs.clientContext(), registry.port());
        HttpResponse<String> followed = api.send(HttpRequest.newBuilder(URI.create(
            "https://127.0.0.1:" + registry.port() + "/v2/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
      }
    }

    private HttpResponse<String> sendPlain(HttpClient client, HttpRequest request) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A TLS registry serving {@code certs}' certificate from a fresh root under this test's temp dir. */
  private BerthRegistry startRegistry(ServingCertificates certs, RegistryConfig.Auth auth, boolean redirect) {
    return BerthRegistry.start(BerthConfigs.loopback(temp.resolve("root"), 0, certs.config(), auth, redirect));
  }

  private static void push(Skopeo skopeo, String remote) {
    skopeo.copy(Skopeo.oci(source, "v1"), remote, CopyOption.PRESERVE_DIGESTS);
  }

  /** The manifest the registry serves has the pushed digest. */
  private static void assertServesTheImage(Skopeo skopeo, String remote) {
    String served = skopeo.inspectRaw(remote);
    assertThat(Digest.sha256(served.getBytes(StandardCharsets.UTF_8))).isEqualTo(image.manifest());
  }

  /** skopeo pulls the image into a fresh OCI layout holding exactly the pushed digests. */
  private void assertPullsTheImage(Skopeo skopeo, String remote) {
    Path pulled = temp.resolve("pulled-" + pulls.incrementAndGet());
    skopeo.copy(remote, Skopeo.oci(pulled, "v1"), CopyOption.PRESERVE_DIGESTS);
    new OciLayout(pulled).assertHoldsExactly("v1", image.manifest(), image.allDigests());
  }
}
