package dev.berth.operator.nodeagent;

import dev.berth.operator.nodeaccess.Runtime;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.nodeaccess.RuntimeOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.BoundedCommand;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent's containerd configuration, checked by real containerd: containerd runs as a child process on its
 * own root, state and socket (CRI disabled), Berth's registry-server runs on loopback, and {@code ctr images pull
 * --hosts-dir} pulls by the registry's cluster name only because of the hosts.toml the writer produced, which maps
 * the name to the "ClusterIP" 127.0.0.1:port. A wrong CA, or no configuration at all, makes the same pull fail.
 */
class ContainerdPullTest {
  private static final String CLUSTER_NAME = "main.registry.svc.cluster.local:5000";
  private static final Duration CTR_TIMEOUT = Duration.ofSeconds(90);
  /** A failed DNS lookup takes milliseconds; Go's resolver gives up on a silent server in 2 x 5 s. */
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  static Path work;
  private static Process containerd;
  private static Path socket;

  @BeforeAll
  static void startContainerd() throws Exception {
    ExternalTools.require("containerd", "ctr", "skopeo");
    ExternalTools.requireThat("root".equals(System.getProperty("user.name")),
        "containerd needs root to run its snapshotter; running as " + System.getProperty("user.name"));
    Path dir = work.resolve("containerd");
    Files.createDirectories(dir);
    socket = dir.resolve("c.sock");
    Path config = dir.resolve("config.toml");
    Files.writeString(config, """
        version = 2
        root = "%s"
        state = "%s"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "%s"
        [ttrpc]
          address = "%s.ttrpc"
        """.formatted(dir.resolve("root"), dir.resolve("state"), socket, socket));
    containerd = new ProcessBuilder("containerd", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    BoundedCommand.Result version;
    do {
      Thread.sleep(250);
      version = ctr(List.of("version"));
    } while (!version.ok() && containerd.isAlive() && System.nanoTime() < deadline);
    assertThat(version.ok()).as("containerd answers on %s; log:%n%s", socket,
        Files.readString(dir.resolve("containerd.log"))).isTrue();
  }

  @AfterAll
  static void stopContainerd() throws Exception {
    if (containerd != null) {
      containerd.destroy();
      if (!containerd.waitFor(10, TimeUnit.SECONDS)) {
        containerd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void pullsByTheClusterNameOverPlainHttp() throws Exception {
    Path base = work.resolve("plain");
    try (RegistryServer registry = startRegistry(base, null)) {
      TestImage image = push(base, registry, List.of("--dest-tls-verify=false"));
      Path hostsDir = base.resolve("certs.d");
      NodeAccessPlan plan = plan(base, registry.port(), false, null);

      WriterResult written = writer().apply(plan, RuntimeFootprint.empty());
      assertThat(written.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);

      BoundedCommand.Result pull = pull("plain", hostsDir, CLUSTER_NAME + "/app:1");
      assertThat(pull.ok()).as(pull.output()).isTrue();
      assertThat(ctr(List.of("-n", "plain", "images", "ls")).output())
          .contains(CLUSTER_NAME + "/app:1").contains(image.manifestDigest());

      writer().remove(written.footprint());
      assertThat(hostsDir.resolve(CLUSTER_NAME)).doesNotExist();
      // without the agent's files ctr asks DNS for the cluster name, which has no such host outside a cluster: the
      // pull fails at the lookup, within seconds (a hang to the limit, or any other failure, is not this proof)
      BoundedCommand.Result unconfigured = pull("plain-none", hostsDir, CLUSTER_NAME + "/app:1", LOOKUP_TIMEOUT);
      assertThat(unconfigured.timedOut()).as("the lookup failed rather than hung: %s", unconfigured.output())
          .isFalse();
      assertThat(unconfigured.exitCode()).as(unconfigured.output()).isNotZero();
      assertThat(unconfigured.output()).as("without the agent's files the name does not resolve")
          .contains("failed to resolve reference \"" + CLUSTER_NAME + "/app:1\"")
          .contains("lookup " + CLUSTER_NAME.substring(0, CLUSTER_NAME.indexOf(':')));
    }
  }

  @Test
  void pullsByTheClusterNameOverTlsTrustingTheCaAndFailsWithAWrongOne() throws Exception {
    Path base = work.resolve("tls");
    var pki = new TestPki("berth-test-ca");
    // the serving certificate must name the ClusterIP: containerd verifies the host it connects to
    TestPki.Issued serving = pki.issueServer(List.of("main.registry.svc.cluster.local", "main.registry.svc"),
        List.of("127.0.0.1"));
    try (RegistryServer registry = startRegistry(base, serving)) {
      Path certDir = base.resolve("skopeo-certs");
      Files.createDirectories(certDir);
      Files.writeString(certDir.resolve("ca.crt"), pki.caPem());
      TestImage image = push(base, registry, List.of("--dest-cert-dir", certDir.toString()));
      Path hostsDir = base.resolve("certs.d");

      WriterResult trusted = writer().apply(plan(base, registry.port(), true, pki.caPem()),
          RuntimeFootprint.empty());
      assertThat(trusted.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
      BoundedCommand.Result pull = pull("tls", hostsDir, CLUSTER_NAME + "/app:1");
      assertThat(pull.ok()).as(pull.output()).isTrue();
      assertThat(ctr(List.of("-n", "tls", "images", "ls")).output()).contains(image.manifestDigest());

      String wrongCa = new TestPki("someone-else").caPem();
      WriterResult untrusted = writer().apply(plan(base, registry.port(), true, wrongCa), trusted.footprint());
      assertThat(hostsDir.resolve(CLUSTER_NAME + "/ca.crt")).hasContent(wrongCa);
      BoundedCommand.Result refused = pull("tls-wrong-ca", hostsDir, CLUSTER_NAME + "/app:1");
      assertThat(refused.timedOut()).as(refused.output()).isFalse();
      assertThat(refused.ok()).as("a pull trusting the wrong CA must fail").isFalse();
      assertThat(refused.output()).containsAnyOf("x509", "certificate");
      writer().remove(untrusted.footprint());
    }
  }

  /**
   * Issue 14's promise on a node: {@code docker.io/library/app:1} comes from Berth's pull-through cache through the
   * agent's {@code docker.io/hosts.toml}. The fallback server is a dead loopback port, never the internet, so a pull
   * that works was served by Berth, which fetched the image from its upstream (a second registry on loopback).
   */
  @Test
  void pullsDockerHubNamesThroughTheRegistrysPullThroughCache() throws Exception {
    Path base = work.resolve("mirror");
    try (RegistryServer upstream = startRegistry(base.resolve("upstream"), null)) {
      TestImage image = push(base, upstream, List.of("--dest-tls-verify=false"), "library/app:1");
      Path berthRoot = base.resolve("berth/registry");
      int dead = deadLoopbackPort();
      var proxy = new RegistryConfig.Proxy(List.of(new RegistryConfig.Upstream("dockerhub",
          java.net.URI.create("http://127.0.0.1:" + upstream.port()), "docker.io",
          RegistryConfig.UpstreamCredentials.ANONYMOUS, null, Duration.ofMinutes(5), null)));
      Files.createDirectories(berthRoot);
      var storage = new FilesystemStorage(berthRoot);
      try (var cache = new dev.berth.registry.proxy.PullThroughCache(proxy, storage, berthRoot.resolve("proxy-spool"),
              Clock.systemUTC());
           RegistryServer berth = new RegistryServer(loopbackConfig(berthRoot, null).withProxy(proxy), storage,
               Authenticator.allowAll(), cache).start()) {
        Path hostsDir = base.resolve("certs.d");
        NodeAccessPlan plan = plan(base, berth.port(), false, null,
            List.of(new NodeAccessPlan.Mirror("docker.io", "http://127.0.0.1:" + dead)));
        WriterResult written = writer().apply(plan, RuntimeFootprint.empty());
        assertThat(written.report().outcome()).isEqualTo(RuntimeOutcome.CONFIGURED);
        assertThat(hostsDir.resolve("docker.io/hosts.toml")).content()
            .contains("server = \"http://127.0.0.1:" + dead + "\"")
            .contains("[host.\"http://127.0.0.1:" + berth.port() + "\"]")
            .contains("capabilities = [\"pull\", \"resolve\"]");

        BoundedCommand.Result pull = pull("mirror", hostsDir, "docker.io/library/app:1");
        assertThat(pull.ok()).as(pull.output()).isTrue();
        assertThat(ctr(List.of("-n", "mirror", "images", "ls")).output())
            .contains("docker.io/library/app:1").contains(image.manifestDigest());
        // stored by the cache under the upstream's name, beside anything pushed to Berth itself
        assertThat(berthRoot.resolve("docker/registry/v2/repositories/dockerhub/library/app/_manifests/tags/1"))
            .isDirectory();

        writer().remove(written.footprint());
        assertThat(hostsDir.resolve("docker.io")).doesNotExist();
      }
    }
  }

  private static int deadLoopbackPort() throws IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // closed again: nothing listens there
    }
  }

  private static ContainerdWriter writer() {
    return new ContainerdWriter(HostFs.identity(), Clock.systemUTC());
  }

  /** A plan whose containerd config.toml (in the test's directory) points config_path at the test's hosts dir. */
  private static NodeAccessPlan plan(Path base, int port, boolean tls, String caPem) throws IOException {
    return plan(base, port, tls, caPem, List.of());
  }

  private static NodeAccessPlan plan(Path base, int port, boolean tls, String caPem, List<NodeAccessPlan.Mirror> mirrors)
      throws IOException {
    Path configToml = base.resolve("config.toml");
    Files.writeString(configToml, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \""
        + base.resolve("certs.d") + "\"\n");
    return new NodeAccessPlan(true, "registry/main", List.of(CLUSTER_NAME, "main.registry.svc:5000"),
        "127.0.0.1:" + port, tls, caPem, List.of(Runtime.CONTAINERD),
        new NodeAccessPlan.ContainerdOptions(false, configToml.toString(), null), null, mirrors);
  }

  private static RegistryServer startRegistry(Path base, TestPki.Issued serving) throws IOException {
    Path storage = base.resolve("registry");
    Files.createDirectories(storage);
    RegistryConfig.Tls tls = null;
    if (serving != null) {
      Path certificate = base.resolve("tls.crt");
      Path key = base.resolve("tls.key");
      Files.writeString(certificate, serving.certificatePem());
      Files.writeString(key, serving.keyPem());
      tls = new RegistryConfig.Tls(certificate, key, List.of(), "tls1.2");
    }
    return new RegistryServer(loopbackConfig(storage, tls), new FilesystemStorage(storage), Authenticator.allowAll())
        .start();
  }

  private static RegistryConfig loopbackConfig(Path storage, RegistryConfig.Tls tls) {
    return new RegistryConfig(
        new RegistryConfig.Log("info", false, Map.of()),
        new RegistryConfig.Http("127.0.0.1", 0, Map.<String, List<String>>of(), tls, null),
        new RegistryConfig.Storage(storage, false, false),
        RegistryConfig.Auth.none());
  }

  private static TestImage push(Path base, RegistryServer registry, List<String> destinationFlags)
      throws IOException {
    return push(base, registry, destinationFlags, "app:1");
  }

  private static TestImage push(Path base, RegistryServer registry, List<String> destinationFlags, String target)
      throws IOException {
    TestImage image = TestImage.create(base.resolve("image"), "1");
    var command = new java.util.ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    command.addAll(destinationFlags);
    command.add(image.skopeoSource());
    command.add("docker://127.0.0.1:" + registry.port() + "/" + target);
    BoundedCommand.Result copy = BoundedCommand.run(Duration.ofSeconds(60), command);
    assertThat(copy.ok()).as("skopeo push: %s", copy.output()).isTrue();
    return image;
  }

  private static BoundedCommand.Result pull(String namespace, Path hostsDir, String reference) {
    return pull(namespace, hostsDir, reference, CTR_TIMEOUT);
  }

  private static BoundedCommand.Result pull(String namespace, Path hostsDir, String reference, Duration timeout) {
    return ctr(List.of("-n", namespace, "images", "pull", "--snapshotter", "native", "--hosts-dir",
        hostsDir.toString(), reference), timeout);
  }

  private static BoundedCommand.Result ctr(List<String> arguments) {
    return ctr(arguments, CTR_TIMEOUT);
  }

  private static BoundedCommand.Result ctr(List<String> arguments, Duration timeout) {
    var command = new java.util.ArrayList<>(List.of("ctr", "--address", socket.toString()));
    command.addAll(arguments);
    return BoundedCommand.run(timeout, command);
  }
}
