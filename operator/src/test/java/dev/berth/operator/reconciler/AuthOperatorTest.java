package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.StatefulSetControllerDouble;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.tls.CertificateAuthority;
import dev.berth.operator.spec.AccessRuleSpec;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistryAction;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.UserSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spec.auth against the mock API server: rendered htpasswd, token key, config and missing passwords. */
@EnableKubernetesMockClient(crud = true)
class AuthOperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  Operator operator;
  ReconcileCounter reconciles;

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.Running running = OperatorTestSupport.start(client);
    operator = running.operator();
    reconciles = running.reconciles();
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  @Test
  void usersAreRenderedAsBcryptHtpasswdAndTheConfigFollows() throws Exception {
    passwords(Map.of("alice", "correct horse", "ci", "battery staple"));
    create(registry(NS, "team", spec(AuthMode.Token)));

    Secret auth = await().atMost(WAIT).until(() -> secret("team-auth"), s -> s != null);
    String htpasswd = text(auth, "htpasswd");
    Map<String, String> hashes = new java.util.HashMap<>();
    for (String line : htpasswd.strip().split("\n")) {
      hashes.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
    }
    assertThat(hashes).containsOnlyKeys("alice", "ci");
    assertThat(hashes.get("alice")).startsWith("$2y$10$");
    assertThat(BCrypt.verifyer().verify("correct horse".toCharArray(), hashes.get("alice")).verified).isTrue();
    assertThat(BCrypt.verifyer().verify("battery staple".toCharArray(), hashes.get("ci")).verified).isTrue();
    assertThat(CertificateAuthority.parsePrivateKey(text(auth, "token.key")).getAlgorithm()).isEqualTo("EC");

    // the workflow writes the ConfigMap and the StatefulSet after the Secret, so they may not be there yet
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(await().atMost(WAIT)
        .until(() -> client.configMaps().inNamespace(NS).withName("team-config").get(), c -> c != null)
        .getData().get("config.yaml"));
    assertThat(config.at("/auth/htpasswd/path").asText()).isEqualTo("/etc/berth/auth/htpasswd");
    assertThat(config.at("/auth/token/signingkey").asText()).isEqualTo("/etc/berth/auth/token.key");
    assertThat(config.at("/auth/anonymouspull").asBoolean()).isTrue();
    assertThat(config.at("/auth/access").toString())
        .contains("\"account\":\"alice\",\"repository\":\"team-a/*\"")
        .contains("\"account\":\"ci\",\"repository\":\"*\"");

    StatefulSet sts = await().atMost(WAIT)
        .until(() -> client.apps().statefulSets().inNamespace(NS).withName("team").get(), s -> s != null);
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/berth/auth"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("team").getStatus().condition("AuthReady"))
        .map(Condition::getStatus).contains("True"));

    // an unchanged password keeps its hash (bcrypt salts differ on every run); a changed one gets a new hash
    String version = secret("team-auth").getMetadata().getResourceVersion();
    reconciles.awaitNextReconcile(NS, "team", WAIT);
    assertThat(secret("team-auth").getMetadata().getResourceVersion()).isEqualTo(version);
    passwords(Map.of("alice", "a new password", "ci", "battery staple"));
    // a spec change makes the operator look again
    OperatorTestSupport.editRegistry(client, NS, "team", r -> r.getSpec().getAuth().setAnonymousPull(false));
    await().atMost(WAIT).untilAsserted(() -> {
      String now = text(secret("team-auth"), "htpasswd");
      String aliceHash = now.lines().filter(l -> l.startsWith("alice:")).findFirst().orElseThrow().substring(6);
      assertThat(BCrypt.verifyer().verify("a new password".toCharArray(), aliceHash).verified).isTrue();
      assertThat(now).contains(hashes.get("ci"));
    });
  }

  @Test
  void missingPasswordLeavesAConditionAndNothingMade() throws Exception {
    create(registry(NS, "nopw", spec(AuthMode.Htpasswd)));
    await().atMost(WAIT).untilAsserted(() -> {
      Registry r = get("nopw");
      assertThat(r.getStatus()).isNotNull();
      assertThat(r.getStatus().condition("AuthReady")).map(Condition::getReason).contains("PasswordNotFound");
      assertThat(r.getStatus().condition("Ready")).map(Condition::getMessage).get().asString().contains("alice");
    });
    reconciles.awaitNextReconcile(NS, "nopw", WAIT);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("nopw").get()).isNull();
    assertThat(secret("nopw-auth")).isNull();
  }

  @Test
  void aChangedPasswordIsRenderedWithinSecondsWithoutASpecChange() throws Exception {
    passwords(Map.of("alice", "correct horse", "ci", "battery staple"));
    create(registry(NS, "watch", spec(AuthMode.Htpasswd)));
    await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(NS).withName("watch").get() != null);
    // a ready Registry is not looked at again on a timer for months (certificate renewal): only an event wakes it
    new StatefulSetControllerDouble(client).settle(NS, "watch", "Bound", 1);
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("watch").getStatus().condition("Ready"))
        .map(Condition::getStatus).contains("True"));

    passwords(Map.of("alice", "a new password", "ci", "battery staple"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String htpasswd = text(secret("watch-auth"), "htpasswd");
      String alice = htpasswd.lines().filter(l -> l.startsWith("alice:")).findFirst().orElseThrow().substring(6);
      assertThat(BCrypt.verifyer().verify("a new password".toCharArray(), alice).verified).isTrue();
    });
  }

  static RegistrySpec spec(AuthMode mode) {
    RegistrySpec spec = new RegistrySpec();
    AuthSpec auth = new AuthSpec();
    auth.setMode(mode);
    auth.setAnonymousPull(true);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("registry-users", "alice"));
    AccessRuleSpec rule = new AccessRuleSpec();
    rule.setRepository("team-a/*");
    rule.setActions(List.of(RegistryAction.pull, RegistryAction.push));
    alice.setAccess(List.of(rule));
    UserSpec ci = new UserSpec();
    ci.setName("ci");
    ci.setPasswordSecret(new SecretKeyRef("registry-users", "ci"));
    auth.setUsers(List.of(alice, ci));
    spec.setAuth(auth);
    return spec;
  }

  private void passwords(Map<String, String> passwords) {
    Map<String, String> data = new java.util.HashMap<>();
    passwords.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("registry-users").endMetadata().withData(data).build())
        .createOr(c -> c.update());
  }

  private void create(Registry registry) throws Exception {
    assertThat(new CrdValidator(OperatorTestSupport.GENERATED_CRD).violations(CrdValidator.toTree(registry)))
        .isEmpty();
    client.resource(registry).create();
  }

  private Registry get(String name) {
    return client.resources(Registry.class).inNamespace(NS).withName(name).get();
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
