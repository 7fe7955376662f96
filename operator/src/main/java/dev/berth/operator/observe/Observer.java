package dev.berth.operator.observe;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
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
 * operator watches the objects, from the API for the rest (the existing claim, the nodes).
 */
public final class Observer {
  private final Clock clock;

  public Observer(Clock clock) {
    this.clock = clock;
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
        List.copyOf(nodes), gcMatters(registry) ? GarbageCollectionRuns.newestFinished(registry, client)
            : Optional.empty());
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
