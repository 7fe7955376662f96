package dev.berth.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.dependent.StatefulSetDependent;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.ServerSpec;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract between operator and server, end to end: the StatefulSet the operator wrote is run as the kubelet
 * would run it (its ConfigMap mounted, its args and env exactly), the real registry-server starts from it, and skopeo
 * pushes and pulls through it. The one liberty: the server listens on 127.0.0.1 on a free port
 * ({@code REGISTRY_HTTP_ADDR}), since this machine is not the pod's network namespace.
 */
@EnableKubernetesMockClient(crud = true)
class ContractTest {
  static final String NS = "registry";
  /** The registry-server image's own environment (its Jib configuration), which the container inherits. */
  static final String IMAGE_ENV = "BERTH_IN_CONTAINER";
  static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+)");

  KubernetesClient client;
  Operator operator;
  Process server;

  @TempDir Path temp;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void theRenderedPodServesPushAndPullFromSkopeo() throws Exception {
    String skopeo = Tools.require("skopeo");

    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    operator = OperatorTestSupport.startOperator(client);
    RegistrySpec spec = new RegistrySpec();
    ServerSpec settings = new ServerSpec();
    settings.setDeleteEnabled(true);
    spec.setServer(settings);
    client.resource(OperatorTestSupport.registry(NS, "main", spec)).create();
    StatefulSet sts = await().atMost(Duration.ofSeconds(20))
        .until(() -> client.apps().statefulSets().inNamespace(NS).withName("main").get(), s -> s != null);

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

    OciImageFixture image = OciImageFixture.write(temp.resolve("image"), "1");
    String reference = "docker://127.0.0.1:" + port + "/team/app:1";
    Tools.run(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--dest-tls-verify=false",
        "oci:" + image.dir() + ":" + image.tag(), reference);
    String pulledManifest = Tools.run(Duration.ofSeconds(60), skopeo, "--insecure-policy", "inspect",
        "--tls-verify=false", "--raw", reference);
    assertThat(OciImageFixture.digest(pulledManifest.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
    Path pulled = temp.resolve("pulled");
    Tools.run(Duration.ofSeconds(120), skopeo, "--insecure-policy", "copy", "--src-tls-verify=false", reference,
        "oci:" + pulled + ":1");
    assertThat(Files.readString(pulled.resolve("index.json"))).contains(image.manifestDigest());

    // the data went where the rendered config put it: the pod's /var/lib/registry, in the registry:2 layout
    Path dataDir = pod.inContainer("/var/lib/registry");
    assertThat(dataDir.resolve("docker/registry/v2/repositories/team/app/_manifests/tags/1/current/link"))
        .content().isEqualTo(image.manifestDigest());
  }

  private int startServer(PodMaterializer pod) throws IOException {
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
    Path log = temp.resolve("server.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    server = builder.start();
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!server.isAlive()) {
        throw new AssertionError("registry-server exited with " + server.exitValue() + ":\n" + Files.readString(log));
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
      String reason = tool + " is not installed (Debian package " + tool + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + "; CI=true requires it");
      }
      Assumptions.abort(reason);
      return null;
    }

    static String run(Duration timeout, String... command) throws IOException, InterruptedException {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " timed out");
      }
      String output = new String(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
      }
      return output;
    }
  }
}
