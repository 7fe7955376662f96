package dev.berth.operator;

import dev.berth.operator.config.OperatorSettings;
import dev.berth.operator.reconciler.RegistryReconciler;
import dev.berth.operator.storage.BucketCheck;
import dev.berth.operator.storage.SdkBucketCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;

/**
 * The operator's one startup path, used by {@link Main} and by the tests alike. Every write goes through plain
 * create/replace and JSON merge patches (no server-side apply), which is what a real API server and the Fabric8 mock
 * server both accept: what the tests prove is what runs.
 */
public final class BerthOperator {
  private BerthOperator() {}

  /**
   * Builds an operator with the Registry controller registered, not yet started.
   *
   * @param closeClientOnStop false when the caller owns the client (tests with a mock server)
   */
  public static Operator create(
      KubernetesClient client, OperatorSettings settings, Clock clock, boolean closeClientOnStop) {
    return create(client, settings, clock, closeClientOnStop, Metrics.NOOP);
  }

  /** As above, reporting reconciles to {@code metrics} (tests count them to know a reconcile ran). */
  public static Operator create(
      KubernetesClient client, OperatorSettings settings, Clock clock, boolean closeClientOnStop, Metrics metrics) {
    return create(client, settings, clock, closeClientOnStop, metrics, new SdkBucketCheck());
  }

  /** As above, checking S3 buckets through {@code bucketCheck}. */
  public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock,
      boolean closeClientOnStop, Metrics metrics, BucketCheck bucketCheck) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(metrics)
          .withCloseClientOnStop(closeClientOnStop)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false);
      settings.leaderElection().ifPresent(lease ->
          o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
              lease.name(),
              lease.namespace(),
              LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
              LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
              LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
              null,
              null,
              lease.exitWhenLost())));
    });
    operator.register(new RegistryReconciler(settings, clock, bucketCheck), c -> {
      if (!settings.namespaces().isEmpty()) {
        c.settingNamespaces(settings.namespaces());
      }
    });
    return operator;
  }
}
