package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** What the user asks for. Every field is optional; the defaults make a one-replica registry on a 10Gi claim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.replicas) || self.replicas <= 1"
        + " || (has(self.storage) && (has(self.storage.s3) || has(self.storage.existingClaim)))",
    message = RegistrySpec.REPLICAS_NEED_SHARED_STORAGE,
    fieldPath = ".replicas",
    reason = "FieldValueForbidden")
public class RegistrySpec {
  public static final String REPLICAS_NEED_SHARED_STORAGE = "replicas > 1 needs shared storage: set storage.s3, or"
      + " storage.existingClaim naming a ReadWriteMany claim (persistentVolumeClaim and emptyDir give every replica"
      + " its own volume)";

  @JsonPropertyDescription("Container image of the registry server. Empty: the registry-server image of the operator's"
      + " own version (or the operator's BERTH_REGISTRY_IMAGE setting).")
  private String image;

  @JsonPropertyDescription("Number of registry pods. More than one needs shared storage (storage.s3, or"
      + " storage.existingClaim naming a ReadWriteMany claim); they then get a PodDisruptionBudget and are spread"
      + " across nodes.")
  @Default("1")
  @Min(0)
  @Max(16)
  private Integer replicas = 1;

  @JsonPropertyDescription("CPU and memory for the registry container (core/v1 ResourceRequirements). Empty: requests"
      + " 100m CPU and 256Mi memory, limit 512Mi memory.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("ServiceAccount the registry pods run as, e.g. one bound to an IAM role (IRSA) for"
      + " storage.s3 without a credentials Secret. Empty: the namespace's default.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = 253)
  private String serviceAccountName;

  @JsonPropertyDescription("The registry server's web UI at /ui/ (off by default).")
  private UiSpec ui;

  @JsonPropertyDescription("Where the registry keeps its data (the registry:2 on-disk layout) and what happens to it"
      + " when the Registry is deleted.")
  private StorageSpec storage;

  @JsonPropertyDescription("How the registry is exposed inside and outside the cluster.")
  private ServiceSpec service;

  @JsonPropertyDescription("Settings passed to the registry server's config.yaml.")
  private ServerSpec server;

  @JsonPropertyDescription("Connection timeouts and limits of the registry server (http.timeouts, http.limits).")
  private HttpSpec http;

  @JsonPropertyDescription("HTTPS: off, a certificate the operator makes and renews, or one from a Secret.")
  private TlsSpec tls;

  @JsonPropertyDescription("Node access: configure every node's container runtime to pull from this registry by its"
      + " cluster name (on by default).")
  private NodeAccessSpec nodeAccess;

  @JsonPropertyDescription("Authentication: none, HTTP Basic or tokens, with users and their access rules.")
  private AuthSpec auth;

  @JsonPropertyDescription("Garbage collection while the registry serves, on a schedule and on demand"
      + " (annotation berth.dev/gc-trigger). Absent: none.")
  private GarbageCollectionSpec garbageCollection;

  @JsonPropertyDescription("Prometheus metrics at /metrics on port 5001 of every pod (on by default), and on request"
      + " a ServiceMonitor and a PrometheusRule with alerts.")
  private MetricsSpec metrics;

  public MetricsSpec getMetrics() {
    return metrics;
  }

  public void setMetrics(MetricsSpec metrics) {
    this.metrics = metrics;
  }

  public MetricsSpec metricsOrDefault() {
    return metrics == null ? new MetricsSpec() : metrics;
  }

  public GarbageCollectionSpec getGarbageCollection() {
    return garbageCollection;
  }

  public void setGarbageCollection(GarbageCollectionSpec garbageCollection) {
    this.garbageCollection = garbageCollection;
  }

  @JsonPropertyDescription("Pull-through cache of public registries (docker.io, ghcr.io, quay.io, ...); with node access"
      + " on, every node pulls their images through this registry.")
  private ProxySpec proxy;

  public ProxySpec getProxy() {
    return proxy;
  }

  public void setProxy(ProxySpec proxy) {
    this.proxy = proxy;
  }

  public ProxySpec proxyOrDefault() {
    return proxy == null ? new ProxySpec() : proxy;
  }

  public AuthSpec getAuth() {
    return auth;
  }

  public void setAuth(AuthSpec auth) {
    this.auth = auth;
  }

  public AuthSpec authOrDefault() {
    return auth == null ? new AuthSpec() : auth;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public UiSpec getUi() {
    return ui;
  }

  public void setUi(UiSpec ui) {
    this.ui = ui;
  }

  public UiSpec uiOrDefault() {
    return ui == null ? new UiSpec() : ui;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public ServiceSpec getService() {
    return service;
  }

  public void setService(ServiceSpec service) {
    this.service = service;
  }

  public ServerSpec getServer() {
    return server;
  }

  public HttpSpec getHttp() {
    return http;
  }

  public void setHttp(HttpSpec http) {
    this.http = http;
  }

  public void setServer(ServerSpec server) {
    this.server = server;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public TlsSpec tlsOrDefault() {
    return tls == null ? new TlsSpec() : tls;
  }

  public NodeAccessSpec getNodeAccess() {
    return nodeAccess;
  }

  public void setNodeAccess(NodeAccessSpec nodeAccess) {
    this.nodeAccess = nodeAccess;
  }

  /** Replicas with the schema default applied (objects built in code skip the API server's defaulting). */
  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public StorageSpec storageOrDefault() {
    return storage == null ? new StorageSpec() : storage;
  }

  public ServiceSpec serviceOrDefault() {
    return service == null ? new ServiceSpec() : service;
  }

  public ServerSpec serverOrDefault() {
    return server == null ? new ServerSpec() : server;
  }

  public NodeAccessSpec nodeAccessOrDefault() {
    return nodeAccess == null ? new NodeAccessSpec() : nodeAccess;
  }
}
