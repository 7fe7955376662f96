package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.tls.CertificateAuthority;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.ServerSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import dev.berth.registry.testsupport.CiSkipRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.registry.testsupport.S3ProxyExtension;
import dev.berth.registry.testsupport.S3ProxyServer;

/**
 * The contract between operator and server, end to end: the StatefulSet the operator wrote is run as the kubelet
 * would run it (its ConfigMap mounted, its args and env exactly), the real registry-server starts from it, and skopeo
 * pushes and pulls through it. The one liberty: the server listens on 127.0.0.1 on a free port
 * ({@code REGISTRY_HTTP_ADDR}, and {@code REGISTRY_HTTP_DEBUG_ADDR} for the metrics), since this machine is not the
 * pod's network namespace.
 */
@EnableKubernetesMockClient(crud = true)
class ContractTest {
  static final String NS = "registry";
  /** The registry-server image's own environment (its Jib configuration), which the container inherits. */
  static final String IMAGE_ENV = "BERTH_IN_CONTAINER";
  static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+)");
  static final Pattern DEBUG_LISTENING = Pattern.compile("debug listener on \\S*:(\\d+) \\(metrics at (\\S+)\\)");

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  KubernetesClient client;
  Operator operator;
  OperatorTestSupport.Running running;
  Process server;
  final List<Process> servers = new ArrayList<>();

  @TempDir Path temp;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process started : servers) {
      started.destroy();
      if (!started.waitFor(20, TimeUnit.SECONDS)) {
        started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void theRenderedPodServesPushAndPullFromSkopeo() throws Exception {
    String skopeo = Tools.require("skopeo");
    RegistrySpec spec = new RegistrySpec();
    ServerSpec settings = new ServerSpec();
    settings.setDeleteEnabled(true);
    spec.setServer(settings);
    StatefulSet sts = statefulSetFor(spec);

    Container container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    PodMaterializer pod = PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME,
        temp.resolve("pod"));
    assertThat(pod.args()).hasSameSizeAs(container.getArgs());
    int port = startServer(pod);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String path : List.of(container.getLivenessProbe().getHttpGet().getPath(),
        container.getReadinessProbe().getHttpGet().getPath())) {
      HttpResponse<String> probe = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(probe.statusCode()).as("probe " + path).isEqualTo(200);
    }
    // the metrics the rendered config turns on are served at the rendered path on the debug listener
    assertThat(container.getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("metrics"));
    Matcher debug = DEBUG_LISTENING.matcher(Files.readString(temp.resolve("server.log")));
    assertThat(debug.find()).as("debug listener with metrics in the log").isTrue();
    assertThat(debug.group(2)).isEqualTo("/metrics");
    HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + debug.group(1) + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("registry_http_requests_total{", "handler=\"ready\"");

    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "1");
    String reference = "docker://127.0.0.1:" + port + "/team/app:1";
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
        "oci:" + image.dir() + ":" + image.tag(), reference);
    String pulledManifest = BoundedCommand.succeed(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--tls-verify=false", "--raw", reference);
    assertThat(OciImageFixture.digest(pulledManifest.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
    Path pulled = temp.resolve("pulled");
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--src-tls-verify=false",
        reference, "oci:" + pulled + ":1");
    assertThat(Files.readString(pulled.resolve("index.json"))).contains(image.manifestDigest());

    // the data went where the rendered config put it: the pod's /var/lib/registry, in the registry:2 layout
    Path dataDir = pod.inContainer("/var/lib/registry");
    assertThat(dataDir.resolve("docker/registry/v2/repositories/team/app/_manifests/tags/1/current/link"))
        .content().isEqualTo(image.manifestDigest());
  }

  /**
   * Two replicas of the rendered S3 pod (its ConfigMap, its env from the credentials Secret, no data volume) on one
   * real S3 server: skopeo pushes through one and pulls through the other, and the operator's own bucket check
   * (HeadBucket against the same server) reports StorageReady.
   */
  @Test
  void twoRenderedS3PodsShareOneBucketForSkopeo() throws Exception {
    String skopeo = Tools.require("skopeo");
    String bucket = S3.server().newBucket();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    client.secrets().inNamespace(NS).resource(dev.berth.operator.observe.Observations.secret("registry-s3",
        java.util.Map.of("accessKey", S3ProxyServer.IDENTITY, "secretKey", S3ProxyServer.CREDENTIAL))).create();
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(2);
    StorageSpec storage = new StorageSpec();
    S3Storage s3 = new S3Storage();
    s3.setBucket(bucket);
    s3.setEndpoint(S3.server().endpoint());
    s3.setRegion(S3ProxyServer.REGION);
    s3.setForcePathStyle(true);
    s3.setRootDirectory("registry");
    s3.setCredentialsSecret("registry-s3");
    storage.setS3(s3);
    spec.setStorage(storage);
    StatefulSet sts = statefulSetFor(spec);
    Registry checked = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(Registry.class).inNamespace(NS).withName("main").get(),
        r -> r.getStatus() != null && r.getStatus().condition("StorageReady")
            .map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(checked.getStatus().condition("StorageReady").orElseThrow().getReason()).isEqualTo("BucketReachable");
    assertThat(client.configMaps().inNamespace(NS).withName("main-config").get().getData().get("config.yaml"))
        .doesNotContain(S3ProxyServer.CREDENTIAL);

    List<Integer> ports = new ArrayList<>();
    for (int replica = 0; replica < 2; replica++) {
      PodMaterializer pod = PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME,
          temp.resolve("pod-" + replica));
      assertThat(pod.env()).containsEntry("REGISTRY_STORAGE_S3_SECRETKEY", S3ProxyServer.CREDENTIAL);
      assertThat(pod.inContainer("/var/lib/registry")).doesNotExist();
      ports.add(startServer(pod, "server-" + replica + ".log"));
    }

    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "5");
    String pushed = "docker://127.0.0.1:" + ports.get(0) + "/team/app:5";
    String pulled = "docker://127.0.0.1:" + ports.get(1) + "/team/app:5";
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
        "oci:" + image.dir() + ":" + image.tag(), pushed);
    String manifest = BoundedCommand.succeed(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--tls-verify=false", "--raw", pulled);
    assertThat(OciImageFixture.digest(manifest.getBytes(StandardCharsets.UTF_8))).isEqualTo(image.manifestDigest());
    Path copy = temp.resolve("pulled");
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--src-tls-verify=false",
        pulled, "oci:" + copy + ":5");
    assertThat(Files.readString(copy.resolve("index.json"))).contains(image.manifestDigest());

    // the data is in the bucket, in the registry:2 layout under the rendered rootdirectory
    assertThat(S3.server().objectFile(bucket,
        "registry/docker/registry/v2/repositories/team/app/_manifests/tags/5/current/link"))
        .content().isEqualTo(image.manifestDigest());
  }

  @Test
  void theSelfSignedPodServesHttpsWithTheOperatorsCertificate() throws Exception {
    String skopeo = Tools.require("skopeo");
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    StatefulSet sts = statefulSetFor(spec);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> client.secrets().inNamespace(NS).withName("main-tls").get(), s -> s != null);

    PodMaterializer pod = PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME,
        temp.resolve("pod"));
    int port = startServer(pod);
    Path caFile = pod.inContainer("/etc/berth/tls/ca.crt");
    assertThat(caFile).exists();

    // the kubelet's probes, but verifying the chain against the operator's CA
    Container container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    HttpClient https = HttpClient.newBuilder().sslContext(trusting(caFile)).connectTimeout(Duration.ofSeconds(5))
        .build();
    HttpResponse<String> ready = https.send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + port + container.getReadinessProbe().getHttpGet().getPath()))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);

    Path certDir = Files.createDirectories(temp.resolve("certs"));
    Files.copy(caFile, certDir.resolve("ca.crt"));
    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "2");
    String reference = "docker://127.0.0.1:" + port + "/secure/app:2";
    // without the CA the client refuses the operator's certificate: the trust comes from the CA, nothing else
    assertThat(BoundedCommand.fail(Duration.ofSeconds(60), skopeo, "--insecure-policy", "copy",
        "oci:" + image.dir() + ":" + image.tag(), reference)).containsIgnoringCase("certificate");
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-cert-dir",
        certDir.toString(), "oci:" + image.dir() + ":" + image.tag(), reference);
    String pulledManifest = BoundedCommand.succeed(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--cert-dir", certDir.toString(), "--raw", reference);
    assertThat(OciImageFixture.digest(pulledManifest.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
  }

  @Test
  void theOperatorRenewsItsCertificateInTimeAndSkopeoIsServedTheNewOne() throws Exception {
    String skopeo = Tools.require("skopeo");
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    // the first certificate is issued as if 61 days ago: still valid now, and due for renewal once the operator's
    // clock reaches real time (a renewed certificate must be valid for the real clock skopeo reads)
    Duration age = CertificateAuthority.SERVING_VALIDITY.minus(CertificateAuthority.RENEW_BEFORE).plusDays(1);
    StatefulSet sts = statefulSetFor(spec, age.negated());
    String firstPem = await().atMost(Duration.ofSeconds(20))
        .until(() -> servingPem(), pem -> pem != null);
    PodMaterializer pod = PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME,
        temp.resolve("pod"));
    int port = startServer(pod);
    Path caFile = pod.inContainer("/etc/berth/tls/ca.crt");
    X509Certificate first = CertificateAuthority.parseCertificate(firstPem);
    assertThat(served(port, caFile)).isEqualTo(first);

    running.clock().advance(age);
    String renewedPem = await().atMost(Duration.ofSeconds(20))
        .until(() -> servingPem(), pem -> pem != null && !pem.equals(firstPem));
    X509Certificate renewed = CertificateAuthority.parseCertificate(renewedPem);
    assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
    assertThat(CertificateAuthority.signedBy(renewed, CertificateAuthority.parseCertificate(
        Files.readString(caFile)))).as("renewed by the same CA, so clients keep their trust").isTrue();
    // the kubelet's part: the mounted Secret follows the new data; the server reloads the files it watches
    PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME, temp.resolve("pod"));
    await().atMost(Duration.ofSeconds(20)).until(() -> served(port, caFile).equals(renewed));

    Path certDir = Files.createDirectories(temp.resolve("certs"));
    Files.copy(caFile, certDir.resolve("ca.crt"));
    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "4");
    String reference = "docker://127.0.0.1:" + port + "/renewed/app:4";
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-cert-dir", certDir.toString(),
        "oci:" + image.dir() + ":" + image.tag(), reference);
    String pulledManifest = BoundedCommand.succeed(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--cert-dir", certDir.toString(), "--raw", reference);
    assertThat(OciImageFixture.digest(pulledManifest.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
    assertThat(served(port, caFile)).as("what skopeo was served").isEqualTo(renewed);
  }

  /** tls.crt of the operator's serving Secret, null while there is none. */
  private String servingPem() {
    var secret = client.secrets().inNamespace(NS).withName("main-tls").get();
    return secret == null || secret.getData() == null || secret.getData().get("tls.crt") == null
        ? null
        : new String(java.util.Base64.getDecoder().decode(secret.getData().get("tls.crt")), StandardCharsets.US_ASCII);
  }

  /** The certificate the server presents on 127.0.0.1:port, checked against the CA (bounded by a socket timeout). */
  private static X509Certificate served(int port, Path caFile) throws Exception {
    try (var socket = (javax.net.ssl.SSLSocket) trusting(caFile).getSocketFactory().createSocket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void theOperatorsCredentialsAndTokenKeyWorkForSkopeo() throws Exception {
    String skopeo = Tools.require("skopeo");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("registry-users").endMetadata()
        .addToData("alice", java.util.Base64.getEncoder().encodeToString("s3cret pass".getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Token);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("registry-users", "alice"));
    auth.setUsers(java.util.List.of(alice));
    spec.setAuth(auth);
    StatefulSet sts = statefulSetFor(spec);
    await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace(NS).withName("main-tls").get() != null
        && client.secrets().inNamespace(NS).withName("main-auth").get() != null);

    PodMaterializer pod = PodMaterializer.materialize(client, sts, StatefulSetDependent.CONTAINER_NAME,
        temp.resolve("pod"));
    assertThat(pod.inContainer("/etc/berth/auth/htpasswd")).content().startsWith("alice:$2y$");
    assertThat(pod.inContainer("/etc/berth/auth/token.key")).exists();
    int port = startServer(pod);
    Path certDir = Files.createDirectories(temp.resolve("certs"));
    Files.copy(pod.inContainer("/etc/berth/tls/ca.crt"), certDir.resolve("ca.crt"));
    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "3");
    String reference = "docker://127.0.0.1:" + port + "/alice/app:3";
    String source = "oci:" + image.dir() + ":" + image.tag();

    assertThat(BoundedCommand.fail(Duration.ofSeconds(60), skopeo, "--insecure-policy", "copy",
        "--dest-cert-dir", certDir.toString(), source, reference)).containsIgnoringCase("unauthorized");
    assertThat(BoundedCommand.fail(Duration.ofSeconds(60), skopeo, "--insecure-policy", "copy",
        "--dest-cert-dir", certDir.toString(), "--dest-creds", "alice:wrong", source, reference))
        .containsIgnoringCase("unauthorized");
    BoundedCommand.succeed(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-cert-dir",
        certDir.toString(), "--dest-creds", "alice:s3cret pass", source, reference);
    String pulledManifest = BoundedCommand.succeed(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--cert-dir", certDir.toString(), "--creds", "alice:s3cret pass", "--raw", reference);
    assertThat(OciImageFixture.digest(pulledManifest.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
  }

  private StatefulSet statefulSetFor(RegistrySpec spec) throws Exception {
    return statefulSetFor(spec, Duration.ZERO);
  }

  /** As above, with the operator's clock {@code operatorTimeShift} away from real time. */
  private StatefulSet statefulSetFor(RegistrySpec spec, Duration operatorTimeShift) throws Exception {
    if (client.namespaces().withName(NS).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
    }
    running = OperatorTestSupport.start(client);
    running.clock().advance(operatorTimeShift);
    operator = running.operator();
    client.resource(OperatorTestSupport.registry(NS, "main", spec)).create();
    return await().atMost(Duration.ofSeconds(20))
        .until(() -> client.apps().statefulSets().inNamespace(NS).withName("main").get(), s -> s != null);
  }

  private static javax.net.ssl.SSLContext trusting(Path caFile) throws Exception {
    var trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private int startServer(PodMaterializer pod) throws IOException {
    return startServer(pod, "server.log");
  }

  /** Starts the server as the pod's container; {@code logName} tells the replicas' logs apart. */
  private int startServer(PodMaterializer pod, String logName) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.berth.registry.Main");
    command.addAll(pod.args());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put(IMAGE_ENV, "true");
    builder.environment().putAll(pod.env());
    builder.environment().put("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
    // the rendered :5001 would bind every interface and collide between replicas; its page is checked on a free port
    builder.environment().put("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0");
    Path log = temp.resolve(logName);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process started = builder.start();
    servers.add(started);
    server = started;
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!started.isAlive()) {
        throw new AssertionError("registry-server exited with " + started.exitValue() + ":\n" + Files.readString(log));
      }
      Matcher m = LISTENING.matcher(Files.readString(log));
      return m.find() ? Integer.parseInt(m.group(1)) : null;
    }, p -> p != null);
  }

  /** External tools: required under CI=true, otherwise a missing tool skips the test with the reason. */
  static final class Tools {
    private Tools() {}

    static String require(String tool) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        Path candidate = Path.of(dir, tool);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
      CiSkipRule.require(false, tool + " is not installed (Debian package " + tool + ")");
      return null;
    }
  }
}
