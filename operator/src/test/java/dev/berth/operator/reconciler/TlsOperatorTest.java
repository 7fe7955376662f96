package dev.berth.operator.reconciler;

import dev.berth.registry.testsupport.SubjectAltNames;
import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.StatefulSetControllerDouble;
import dev.berth.operator.tls.CertificateAuthority;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spec.tls against the mock API server: the operator's CA and certificate, and a user's Secret. */
@EnableKubernetesMockClient(crud = true)
class TlsOperatorTest {
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
  void selfSignedMakesACaAndACertificateForTheServiceNames() throws Exception {
    create(registry(NS, "secure", spec(TlsMode.SelfSigned, null, List.of("registry.example.com"))));

    Secret serving = await().atMost(WAIT).until(() -> secret("secure-tls"), s -> s != null);
    Secret ca = secret("secure-ca");
    assertThat(serving.getType()).isEqualTo("kubernetes.io/tls");
    X509Certificate cert = CertificateAuthority.parseCertificate(text(serving, "tls.crt"));
    X509Certificate caCert = CertificateAuthority.parseCertificate(text(ca, "ca.crt"));
    assertThat(CertificateAuthority.signedBy(cert, caCert)).isTrue();
    assertThat(text(serving, "ca.crt")).isEqualTo(text(ca, "ca.crt"));
    assertThat(SubjectAltNames.of(cert)).containsAll(SubjectAltNames.dns(
        "secure", "secure.registry", "secure.registry.svc", "secure.registry.svc.cluster.local",
        "localhost", "registry.example.com")).contains("IP:127.0.0.1");
    for (Secret s : List.of(serving, ca)) {
      assertThat(s.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("Registry"));
    }

    // the workflow writes the StatefulSet after the Secrets it mounts, so it may not be there yet
    StatefulSet sts = await().atMost(WAIT)
        .until(() -> client.apps().statefulSets().inNamespace(NS).withName("secure").get(), s -> s != null);
    var container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/berth/tls"));
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
            .isEqualTo("secure-tls"));
    assertThat(client.configMaps().inNamespace(NS).withName("secure-config").get().getData().get("config.yaml"))
        .contains("certificate: /etc/berth/tls/tls.crt").contains("key: /etc/berth/tls/tls.key");

    new StatefulSetControllerDouble(client).settle(NS, "secure", "Bound", 1);
    Registry ready = await().atMost(WAIT).until(() -> get("secure"),
        r -> r.getStatus() != null && r.getStatus().condition("Ready").map(c -> c.getStatus().equals("True"))
            .orElse(false));
    Condition tlsReady = ready.getStatus().condition("TLSReady").orElseThrow();
    assertThat(tlsReady.getStatus()).isEqualTo("True");
    assertThat(tlsReady.getMessage()).contains("secure-ca");
    assertThat(ready.getStatus().getTls().getCaSecret()).isEqualTo("secure-ca");
    assertThat(Instant.parse(ready.getStatus().getTls().getNotAfter())).isEqualTo(cert.getNotAfter().toInstant());

    // reconciling again keeps both certificates
    String servingVersion = secret("secure-tls").getMetadata().getResourceVersion();
    String caVersion = secret("secure-ca").getMetadata().getResourceVersion();
    new StatefulSetControllerDouble(client).settle(NS, "secure", "Bound", 1);
    reconciles.awaitNextReconcile(NS, "secure", WAIT);
    assertThat(secret("secure-tls").getMetadata().getResourceVersion()).isEqualTo(servingVersion);
    assertThat(secret("secure-ca").getMetadata().getResourceVersion()).isEqualTo(caVersion);

    // a new host name gets a new certificate from the same CA
    OperatorTestSupport.editRegistry(client, NS, "secure",
        registry -> registry.getSpec().getTls().setExtraHostnames(List.of("registry.example.com", "192.0.2.10")));
    await().atMost(WAIT).untilAsserted(() -> assertThat(SubjectAltNames.of(
        CertificateAuthority.parseCertificate(text(secret("secure-tls"), "tls.crt")))).contains("IP:192.0.2.10"));
    assertThat(secret("secure-ca").getMetadata().getResourceVersion()).isEqualTo(caVersion);
  }

  @Test
  void userSecretIsMountedOnceItIsThere() throws Exception {
    create(registry(NS, "byo", spec(TlsMode.Secret, "byo-cert", null)));

    await().atMost(WAIT).untilAsserted(() -> {
      Registry r = get("byo");
      assertThat(r.getStatus()).isNotNull();
      assertThat(r.getStatus().condition("TLSReady")).map(Condition::getReason).contains("SecretNotFound");
      assertThat(r.getStatus().condition("Ready")).map(Condition::getMessage).get().asString().contains("byo-cert");
    });
    reconciles.awaitNextReconcile(NS, "byo", WAIT);
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("byo").get()).isNull();
    assertThat(client.configMaps().inNamespace(NS).withName("byo-config").get()).isNull();

    var ca = CertificateAuthority.newCa("user CA", Instant.now());
    var pair = CertificateAuthority.issue(ca, "byo", Set.of("byo.registry.svc"), Instant.now());
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("byo-cert").endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", b64(pair.certificate()), "tls.key", b64(pair.privateKey()),
            "ca.crt", b64(ca.certificate())))
        .build()).create();

    StatefulSet sts = await().atMost(WAIT)
        .until(() -> client.apps().statefulSets().inNamespace(NS).withName("byo").get(), s -> s != null);
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
            .isEqualTo("byo-cert"));
    assertThat(secret("byo-tls")).as("no operator certificate in Secret mode").isNull();
    await().atMost(WAIT).untilAsserted(() -> {
      Registry r = get("byo");
      assertThat(r.getStatus().condition("TLSReady")).map(Condition::getReason).contains("SecretProvided");
      assertThat(r.getStatus().getTls().getCaSecret()).isEqualTo("byo-cert");
    });
  }

  @Test
  void unusableUserSecretIsExplained() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("half").endMetadata()
        .withData(Map.of("tls.crt", b64("not a certificate")))
        .build()).create();
    create(registry(NS, "half", spec(TlsMode.Secret, "half", null)));
    await().atMost(WAIT).untilAsserted(() -> {
      Registry r = get("half");
      assertThat(r.getStatus()).isNotNull();
      assertThat(r.getStatus().condition("TLSReady")).map(Condition::getReason).contains("SecretInvalid");
      assertThat(r.getStatus().condition("TLSReady")).map(Condition::getMessage).get().asString()
          .contains("tls.key");
    });
  }

  private static RegistrySpec spec(TlsMode mode, String secretName, List<String> extraHostnames) {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(mode);
    tls.setSecretName(secretName);
    tls.setExtraHostnames(extraHostnames);
    spec.setTls(tls);
    return spec;
  }

  private void create(Registry registry) {
    try {
      assertThat(new CrdValidator(OperatorTestSupport.GENERATED_CRD).violations(CrdValidator.toTree(registry)))
          .isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    client.resource(registry).create();
  }

  private Registry get(String name) {
    return client.resources(Registry.class).inNamespace(NS).withName(name).get();
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
