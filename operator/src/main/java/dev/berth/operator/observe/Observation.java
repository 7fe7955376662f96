package dev.berth.operator.observe;

import dev.berth.operator.spec.Registry;
import dev.berth.operator.storage.BucketCheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What exists for one Registry, read once at the start of a reconcile; every later step decides from this.
 *
 * @param registry the primary
 * @param now the injected clock's reading for this reconcile
 * @param statefulSet the registry's StatefulSet
 * @param existingClaim the claim storage.existingClaim names
 * @param clientService the client Service (its ClusterIP feeds the certificate and the node access plan)
 * @param secrets every Secret this Registry names or owns, by name: the operator's CA, TLS and auth Secrets, the
 *     user's TLS Secret, htpasswd Secret and password Secrets
 * @param configMaps the operator's ConfigMaps of this Registry, by name
 * @param nodeAgentRunning whether the node agent DaemonSet exists
 * @param nodes the cluster's nodes; read only while node access is on or being removed
 * @param bucket the answer of the bucket check, for storage.s3 with a readable credentials Secret
 * @param gcRun the newest finished garbage-collection Job; read only while collection is configured or triggered
 * @param monitoring which Prometheus Operator CRDs exist; read only while spec.metrics.serviceMonitor is on or the
 *     status still reports on it (so that turning it off deletes what was made)
 */
public record Observation(
    Registry registry,
    Instant now,
    Optional<StatefulSet> statefulSet,
    Optional<PersistentVolumeClaim> existingClaim,
    Optional<Service> clientService,
    Map<String, Secret> secrets,
    Map<String, ConfigMap> configMaps,
    boolean nodeAgentRunning,
    List<Node> nodes,
    Optional<BucketCheck.Result> bucket,
    Optional<dev.berth.operator.gc.GcRun> gcRun,
    Optional<MonitoringApis> monitoring) {

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(name == null ? null : secrets.get(name));
  }

  public Optional<ConfigMap> configMap(String name) {
    return Optional.ofNullable(configMaps.get(name));
  }

  /** The client Service's ClusterIP once the API server assigned one. */
  public Optional<String> clusterIp() {
    return clientService
        .map(s -> s.getSpec() == null ? null : s.getSpec().getClusterIP())
        .filter(ip -> !ip.isBlank() && !ip.equals("None"));
  }

  /** Ready replicas as the StatefulSet reports them. */
  public int readyReplicas() {
    return statefulSet
        .map(StatefulSet::getStatus)
        .map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas())
        .orElse(0);
  }
}
