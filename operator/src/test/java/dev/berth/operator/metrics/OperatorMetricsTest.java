package dev.berth.operator.metrics;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.operator.BerthOperator;
import dev.berth.operator.HealthEndpoints;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.TestClock;
import dev.berth.operator.config.OperatorSettings.Address;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.storage.SdkBucketCheck;
import dev.berth.registry.testsupport.PrometheusText;
import dev.berth.registry.testsupport.Promtool;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's metrics as a scraper sees them: the operator reconciling a Registry against the mock API server, its
 * health port serving {@code /metrics}, the exposition checked by promtool.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMetricsTest {
  static final String NS = "registry";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  KubernetesClient client;
  @TempDir
  Path tmp;
  Operator operator;
  OperatorMetrics metrics;
  HealthEndpoints health;

  @AfterEach
  void stop() {
    if (health != null) {
      health.close();
    }
    if (operator != null) {
      operator.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void reconcilesAreCountedAndTimedOnTheHealthPort() throws Exception {
    Promtool promtool = Promtool.require();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.installCrd(client);
    metrics = new OperatorMetrics();
    operator = BerthOperator.create(client, OperatorTestSupport.settings(), new TestClock(), false, metrics,
        new SdkBucketCheck());
    operator.start();
    health = HealthEndpoints.start(new Address("127.0.0.1", 0), operator.getRuntimeInfo(), metrics);
    client.resources(Registry.class).inNamespace(NS).resource(registry(NS, "main", new RegistrySpec())).create();

    // the first pass only adds the finalizer; the reconcile proper is the one the execution timer sees
    PrometheusText text = await().atMost(Duration.ofSeconds(30)).until(this::scrape,
        t -> t.valueOrZero("operator_sdk_controllers_execution_seconds_count",
            "controller", "registry", "execution", "reconcile", "result", "success") >= 1);

    assertThat(text.valueOrZero("operator_sdk_reconciliations_started_total"))
        .isGreaterThanOrEqualTo(text.valueOrZero("operator_sdk_reconciliations_success_total"));
    assertThat(text.valueOrZero("operator_sdk_events_received_total")).isPositive();
    assertThat(text.type("operator_sdk_controllers_execution_seconds")).contains("histogram");
    assertThat(text.valueOrZero("operator_sdk_reconciliations_success_total")).isGreaterThanOrEqualTo(1);
    assertThat(text.value("operator_sdk_reconciliations_executions")).isPresent();
    assertThat(text.samples()).noneSatisfy(sample -> assertThat(sample.labels()).containsValue("main"));
    promtool.checkMetrics(text.text(), tmp).assertSuccess();
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
  }

  private PrometheusText scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(OperatorMetrics.CONTENT_TYPE);
    return PrometheusText.parse(response.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
