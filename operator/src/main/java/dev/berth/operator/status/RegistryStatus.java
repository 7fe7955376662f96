package dev.berth.operator.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed. Written only by the operator, through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistryStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions: Ready, StorageReady, TLSReady when TLS is on, NodesConfigured when"
      + " node access is on.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Registry pods that pass their readiness probe.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Address of the registry inside the cluster: <name>.<namespace>.svc.cluster.local:<port>.")
  private String endpoint;

  @JsonPropertyDescription("Node access: selected nodes and how many of them are configured; absent when it is off.")
  private NodesStatus nodes;

  @JsonPropertyDescription("The serving certificate, when TLS is on.")
  private TlsStatus tls;

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The last finished garbage collection (spec.garbageCollection).")
  private GarbageCollectionStatus garbageCollection;

  public GarbageCollectionStatus getGarbageCollection() {
    return garbageCollection;
  }

  public void setGarbageCollection(GarbageCollectionStatus garbageCollection) {
    this.garbageCollection = garbageCollection;
  }

  @JsonPropertyDescription("Each upstream of the pull-through cache (spec.proxy.upstreams) and its last error.")
  private List<UpstreamStatus> upstreams;

  public List<UpstreamStatus> getUpstreams() {
    return upstreams;
  }

  public void setUpstreams(List<UpstreamStatus> upstreams) {
    this.upstreams = upstreams;
  }

  public TlsStatus getTls() {
    return tls;
  }

  public void setTls(TlsStatus tls) {
    this.tls = tls;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public NodesStatus getNodes() {
    return nodes;
  }

  public void setNodes(NodesStatus nodes) {
    this.nodes = nodes;
  }

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(readyReplicas, s.readyReplicas)
        && Objects.equals(endpoint, s.endpoint)
        && Objects.equals(tls, s.tls)
        && Objects.equals(nodes, s.nodes)
        && Objects.equals(garbageCollection, s.garbageCollection)
        && Objects.equals(upstreams, s.upstreams);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, readyReplicas, endpoint, tls, nodes, garbageCollection,
        upstreams);
  }
}
