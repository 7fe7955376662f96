package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.spec.ProxySpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.UpstreamSpec;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.UpstreamStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spec.proxy against the mock API server: the config the server gets, each upstream's status and the condition. */
@EnableKubernetesMockClient(crud = true)
class ProxyOperatorTest {
  static final String NS = "registry";
  static final Duration WAIT = Duration.ofSeconds(30);

  KubernetesClient client;
  Operator operator;
  HttpServer upstream;

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    operator = OperatorTestSupport.start(client).operator();
    // a registry that wants a login, as Docker Hub does: reachable
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/v2/", exchange -> {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1/token\",service=\"x\"");
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    upstream.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
    upstream.stop(0);
  }

  @Test
  void upstreamsReachTheServerConfigAndTheStatusNamesTheUnreachableOne() throws Exception {
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = socket.getLocalPort();
    }
    ProxySpec proxy = new ProxySpec();
    proxy.setUpstreams(List.of(
        upstream("dockerhub", "http://127.0.0.1:" + upstream.getAddress().getPort(), "docker.io"),
        upstream("gone", "http://127.0.0.1:" + dead, null)));
    RegistrySpec spec = new RegistrySpec();
    spec.setProxy(proxy);
    client.resource(registry(NS, "main", spec)).create();

    Registry seen = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(NS).withName("main")
        .get(), r -> r.getStatus() != null && r.getStatus().getUpstreams() != null);
    List<UpstreamStatus> upstreams = seen.getStatus().getUpstreams();
    assertThat(upstreams).extracting(UpstreamStatus::getName).containsExactly("dockerhub", "gone");
    assertThat(upstreams.get(0).getReachable()).isTrue();
    assertThat(upstreams.get(0).getHost()).isEqualTo("docker.io");
    assertThat(upstreams.get(0).getLastError()).isNull();
    assertThat(upstreams.get(1).getReachable()).isFalse();
    assertThat(upstreams.get(1).getHost()).isEqualTo("127.0.0.1:" + dead);
    assertThat(upstreams.get(1).getLastError()).startsWith("unreachable");
    Condition condition = seen.getStatus().condition(ConditionType.UPSTREAMS_REACHABLE).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("UpstreamUnreachable");
    assertThat(condition.getMessage()).contains("gone (127.0.0.1:" + dead + ")").doesNotContain("dockerhub");

    String config = await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NS).withName("main-config").get(),
        c -> c != null).getData().get("config.yaml");
    assertThat(config).contains("upstreams:").contains("name: dockerhub").contains("host: docker.io")
        .contains("dockermirror: true").contains("name: gone");
  }

  private static UpstreamSpec upstream(String name, String url, String host) {
    UpstreamSpec upstream = new UpstreamSpec();
    upstream.setName(name);
    upstream.setUrl(url);
    upstream.setHost(host);
    return upstream;
  }
}
