package dev.berth.operator.observe;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.storage.BucketCheck;
import dev.berth.operator.storage.BucketLocation;
import dev.berth.operator.storage.S3Credentials;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The observe step: reads what exists for a Registry once per reconcile, from the informers' caches where the
 * operator watches the objects, from the API for the rest (the existing claim, the nodes), and asks the S3 bucket
 * whether it answers.
 */
public final class Observer {
  private final Clock clock;
  private final BucketCheck bucketCheck;

  public Observer(Clock clock, BucketCheck bucketCheck) {
    this.clock = clock;
    this.bucketCheck = bucketCheck;
  }

  public Observation observe(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    KubernetesClient client = context.getClient();
    Set<String> wantedSecrets = new java.util.HashSet<>(ReferencedSecrets.names(registry));
    wantedSecrets.addAll(List.of(names.caSecret(), names.tlsSecret(), names.authSecret()));
    Map<String, Secret> secrets = new HashMap<>();
    context.getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> wantedSecrets.contains(s.getMetadata().getName()))
        .forEach(s -> secrets.putIfAbsent(s.getMetadata().getName(), s));
    Map<String, ConfigMap> configMaps = new HashMap<>();
    context.getSecondaryResourcesAsStream(ConfigMap.class)
        .forEach(cm -> configMaps.putIfAbsent(cm.getMetadata().getName(), cm));
    Optional<Service> clientService = context.getSecondaryResourcesAsStream(Service.class)
        .filter(s -> names.clientService().equals(s.getMetadata().getName()))
        .findFirst();
    boolean agentRunning = context.getSecondaryResource(DaemonSet.class).isPresent();
    boolean nodesMatter = agentRunning || registry.getSpec().nodeAccessOrDefault().enabledOrDefault();
    List<Node> nodes = nodesMatter ? client.nodes().list().getItems() : List.of();
    return new Observation(registry, clock.instant(), context.getSecondaryResource(StatefulSet.class),
        existingClaim(registry, client), clientService, Map.copyOf(secrets), Map.copyOf(configMaps), agentRunning,
        List.copyOf(nodes), bucket(registry, secrets),
        gcMatters(registry) ? GarbageCollectionRuns.newestFinished(registry, client) : Optional.empty(),
        monitoringMatters(registry) ? Optional.of(MonitoringApis.read(client)) : Optional.empty());
  }

  private static boolean monitoringMatters(Registry registry) {
    return registry.getSpec().metricsOrDefault().serviceMonitorOrDefault()
        || (registry.getStatus() != null && registry.getStatus().getConditions() != null
            && registry.getStatus().getConditions().stream()
                .anyMatch(c -> ConditionType.MONITORING_READY.equals(c.getType())));
  }

  /** HeadBucket with the credentials the pods will get; not asked without them (see S3StorageState). */
  private Optional<BucketCheck.Result> bucket(Registry registry, Map<String, Secret> secrets) {
    S3Storage s3 = registry.getSpec().storageOrDefault().getS3();
    if (s3 == null || !s3.hasCredentialsSecret()) {
      return Optional.empty();
    }
    return S3Credentials.read(Optional.ofNullable(secrets.get(s3.getCredentialsSecret())))
        .map(credentials -> bucketCheck.check(BucketLocation.of(s3), credentials));
  }

  private static boolean gcMatters(Registry registry) {
    return registry.getSpec().getGarbageCollection() != null
        || dev.berth.operator.gc.GcNames.trigger(registry).isPresent()
        || (registry.getStatus() != null && registry.getStatus().getGarbageCollection() != null);
  }

  private static Optional<PersistentVolumeClaim> existingClaim(Registry registry, KubernetesClient client) {
    String name = registry.getSpec().storageOrDefault().getExistingClaim();
    if (name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(client.persistentVolumeClaims()
        .inNamespace(registry.getMetadata().getNamespace())
        .withName(name)
        .get());
  }
}
