package dev.berth.operator;

import dev.berth.operator.config.BuildInfo;
import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.storage.BucketCheck;
import dev.berth.operator.storage.SdkBucketCheck;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Shared set-up for tests that run the operator against the mock API server. */
public final class OperatorTestSupport {
  /** Where the CRD generator writes during the build (process-classes runs before tests). */
  public static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/registries.berth.dev-v1.yml");

  private OperatorTestSupport() {}

  public static OperatorSettings settings() {
    return OperatorSettings.fromEnvironment(
        Map.of("BERTH_RECHECK_SECONDS", "1", "BERTH_HEALTH_ADDR", "off"), BuildInfo.load());
  }

  /** Installs the generated CRD into the mock server and starts the operator through its production startup code. */
  public static Operator startOperator(KubernetesClient client) throws Exception {
    return start(client).operator();
  }

  /**
   * A started operator with the clock it reads and a count of its reconciles.
   *
   * @param operator the operator
   * @param clock its clock, which the test may advance
   * @param reconciles its finished reconciles
   */
  public record Running(Operator operator, TestClock clock, ReconcileCounter reconciles) {}

  /** As {@link #startOperator}, with a clock the test advances and a reconcile counter. */
  public static Running start(KubernetesClient client) throws Exception {
    return start(client, new SdkBucketCheck());
  }

  /** As above, with the bucket check the test chooses (a scripted one, or the real one against s3proxy). */
  public static Running start(KubernetesClient client, BucketCheck bucketCheck) throws Exception {
    installCrd(client);
    TestClock clock = new TestClock();
    ReconcileCounter reconciles = new ReconcileCounter();
    Operator operator = BerthOperator.create(client, settings(), clock, false, reconciles, bucketCheck);
    operator.start();
    return new Running(operator, clock, reconciles);
  }

  /** Installs the generated CRD into the mock server, so it serves Registries with a status subresource. */
  public static void installCrd(KubernetesClient client) throws Exception {
    if (!Files.exists(GENERATED_CRD)) {
      throw new AssertionError(GENERATED_CRD + " is missing: run the build through process-classes first");
    }
    CustomResourceDefinition crd;
    try (var in = Files.newInputStream(GENERATED_CRD)) {
      crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
  }

  /**
   * Changes a Registry's spec with a JSON patch computed from the change. The patch still names the resourceVersion it
   * was computed from, so a write the operator makes at the same moment (status, finalizer) can make it fail with a
   * conflict: it is then computed again from the fresh object, a bounded number of times.
   */
  public static void editRegistry(
      KubernetesClient client, String namespace, String name, java.util.function.Consumer<Registry> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(Registry.class).inNamespace(namespace).withName(name).edit(r -> {
          change.accept(r);
          return r;
        });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != java.net.HttpURLConnection.HTTP_CONFLICT || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public static Registry registry(String namespace, String name, RegistrySpec spec) {
    Registry registry = new Registry();
    registry.getMetadata().setName(name);
    registry.getMetadata().setNamespace(namespace);
    registry.setSpec(spec);
    return registry;
  }
}
