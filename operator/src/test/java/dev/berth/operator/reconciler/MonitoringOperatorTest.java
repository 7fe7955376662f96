package dev.berth.operator.reconciler;

import static dev.berth.operator.OperatorTestSupport.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.CrdValidator;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.ReconcileCounter;
import dev.berth.operator.plan.AlertRules;
import dev.berth.operator.spec.MetricsSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.registry.testsupport.Promtool;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.metrics.serviceMonitor against the Fabric8 mock API server in CRUD mode: with the Prometheus Operator's CRDs
 * the ServiceMonitor and PrometheusRule are made (the rules checked by promtool), without them the status says why.
 */
@EnableKubernetesMockClient(crud = true)
class MonitoringOperatorTest {
  static final String NS = "monitored";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String API_VERSION = "monitoring.coreos.com/v1";

  static CrdValidator crdValidator;

  KubernetesClient client;
  Operator operator;
  ReconcileCounter reconciles;
  @TempDir Path tmp;

  @BeforeAll
  static void loadCrd() throws Exception {
    crdValidator = new CrdValidator(OperatorTestSupport.GENERATED_CRD);
  }

  @BeforeEach
  void startOperator() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorTestSupport.Running running = OperatorTestSupport.start(client);
    operator = running.operator();
    reconciles = running.reconciles();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void withTheCrdsTheServiceMonitorAndTheRulesAreMadeAndOwned() throws Exception {
    installPrometheusOperatorCrds();
    RegistrySpec spec = monitored();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    spec.setTls(tls);
    Registry created = create(registry(NS, "watched", spec));

    GenericKubernetesResource monitor = awaitGeneric("ServiceMonitor", "watched");
    GenericKubernetesResource rule = awaitGeneric("PrometheusRule", "watched");
    String uid = client.resource(created).get().getMetadata().getUid();
    for (GenericKubernetesResource owned : List.of(monitor, rule)) {
      assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
        assertThat(ref.getUid()).isEqualTo(uid);
        assertThat(ref.getKind()).isEqualTo("Registry");
        assertThat(ref.getApiVersion()).isEqualTo("berth.dev/v1alpha1");
      });
    }

    // the selector matches the headless Service (every pod, never published) and no other Service
    Map<String, String> matchLabels = monitor.get("spec", "selector", "matchLabels");
    List<Service> selected = client.services().inNamespace(NS).withLabels(matchLabels).list().getItems();
    assertThat(selected).extracting(s -> s.getMetadata().getName()).containsExactly("watched-headless");
    assertThat(selected.get(0).getSpec().getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getPort()).isEqualTo(5001);
    });
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", "metrics");
      assertThat(e).containsEntry("path", "/metrics");
    });
    assertThat(monitor.<List<String>>get("spec", "namespaceSelector", "matchNames")).containsExactly(NS);

    // the rule groups as stored are a rule file Prometheus accepts
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    String ruleFile = new ObjectMapper(new YAMLFactory()).writeValueAsString(Map.of("groups", groups));
    assertThat(ruleFile).contains(AlertRules.REGISTRY_DOWN, AlertRules.ERROR_RATIO, AlertRules.STORAGE_SLOW, AlertRules.STORAGE_ERRORS,
        AlertRules.VOLUME_FILLING, AlertRules.CERTIFICATE_EXPIRING, "job=\\\"watched-headless\\\"");
    var checked = Promtool.require().checkRules(ruleFile, tmp).assertSuccess();
    assertThat(checked.stdout()).contains("SUCCESS: 7 rules found");

    Registry ready = awaitCondition("watched", "True");
    assertThat(condition(ready).orElseThrow().getReason()).isEqualTo("Rendered");
  }

  @Test
  void withoutTheCrdsNothingIsMadeAndTheStatusSaysWhyUntilTheyAreInstalled() {
    create(registry(NS, "blind", monitored()));

    Registry waiting = awaitCondition("blind", "False");
    Condition monitoring = condition(waiting).orElseThrow();
    assertThat(monitoring.getReason()).isEqualTo("PrometheusOperatorMissing");
    assertThat(monitoring.getMessage())
        .contains("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com");
    // the registry itself is made as usual: the missing CRDs fail nothing
    await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(NS).withName("blind").get() != null);
    reconciles.awaitNextReconcile(NS, "blind", WAIT);
    assertThat(condition(client.resources(Registry.class).inNamespace(NS).withName("blind").get()).orElseThrow()
        .getStatus()).isEqualTo("False");

    // CRDs are not watched: the operator notices them when it looks again
    installPrometheusOperatorCrds();
    awaitGeneric("ServiceMonitor", "blind");
    awaitGeneric("PrometheusRule", "blind");
    awaitCondition("blind", "True");
  }

  @Test
  void metricsWithoutServiceMonitorMakeNothingAndTurningItOffDeletesWhatWasMade() {
    installPrometheusOperatorCrds();
    RegistrySpec plain = new RegistrySpec();
    create(registry(NS, "plain", plain));
    await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(NS).withName("plain").get() != null);
    reconciles.awaitNextReconcile(NS, "plain", WAIT);
    assertThat(generic("ServiceMonitor", "plain")).isNull();
    assertThat(generic("PrometheusRule", "plain")).isNull();
    assertThat(condition(client.resources(Registry.class).inNamespace(NS).withName("plain").get())).isEmpty();

    create(registry(NS, "toggled", monitored()));
    awaitGeneric("ServiceMonitor", "toggled");
    awaitGeneric("PrometheusRule", "toggled");
    OperatorTestSupport.editRegistry(client, NS, "toggled", r -> r.getSpec().getMetrics().setServiceMonitor(false));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(generic("ServiceMonitor", "toggled")).isNull();
      assertThat(generic("PrometheusRule", "toggled")).isNull();
      assertThat(condition(client.resources(Registry.class).inNamespace(NS).withName("toggled").get())).isEmpty();
    });
  }

  private static RegistrySpec monitored() {
    RegistrySpec spec = new RegistrySpec();
    MetricsSpec metrics = new MetricsSpec();
    metrics.setServiceMonitor(true);
    spec.setMetrics(metrics);
    return spec;
  }

  /** The two CRDs as the Prometheus Operator installs them (schema left open: the mock does not validate). */
  private void installPrometheusOperatorCrds() {
    for (String[] kind : List.of(new String[] {"ServiceMonitor", "servicemonitors"},
        new String[] {"PrometheusRule", "prometheusrules"})) {
      client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
          .withNewMetadata().withName(kind[1] + ".monitoring.coreos.com").endMetadata()
          .withNewSpec()
          .withGroup("monitoring.coreos.com")
          .withScope("Namespaced")
          .withNewNames().withKind(kind[0]).withPlural(kind[1]).withSingular(kind[0].toLowerCase()).endNames()
          .addNewVersion().withName("v1").withServed(true).withStorage(true)
          .withNewSchema().withNewOpenAPIV3Schema().withType("object")
          .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
          .endVersion()
          .endSpec()
          .build()).create();
    }
  }

  private GenericKubernetesResource generic(String kind, String name) {
    return client.genericKubernetesResources(API_VERSION, kind).inNamespace(NS).withName(name).get();
  }

  private GenericKubernetesResource awaitGeneric(String kind, String name) {
    return await().atMost(WAIT).until(() -> generic(kind, name), java.util.Objects::nonNull);
  }

  private Registry create(Registry registry) {
    assertThat(crdValidator.violations(CrdValidator.toTree(registry))).as("CRD validation").isEmpty();
    return client.resource(registry).create();
  }

  private Registry awaitCondition(String name, String status) {
    return await().atMost(WAIT).until(
        () -> client.resources(Registry.class).inNamespace(NS).withName(name).get(),
        r -> r != null && condition(r).map(c -> status.equals(c.getStatus())).orElse(false));
  }

  private static Optional<Condition> condition(Registry registry) {
    return registry.getStatus() == null ? Optional.empty() : registry.getStatus().condition("MonitoringReady");
  }
}
