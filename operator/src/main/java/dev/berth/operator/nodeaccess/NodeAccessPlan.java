package dev.berth.operator.nodeaccess;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the operator wants on every node for one Registry, as JSON in a ConfigMap key the agent reads from a mounted
 * file. Example:
 *
 * <pre>{@code
 * {"enabled": true, "registry": "registry/main",
 *  "hosts": ["main.registry.svc.cluster.local:5000", "main.registry.svc:5000"],
 *  "endpoint": "10.96.12.34:5000", "tls": true, "caPem": "-----BEGIN CERTIFICATE-----...",
 *  "runtimes": ["containerd"],
 *  "containerd": {"patchConfigToml": false},
 *  "nodeLocal": {"enabled": false, "port": 5000},
 *  "mirrors": [{"host": "docker.io", "server": "https://registry-1.docker.io"}]}
 * }</pre>
 *
 * A disabled plan needs only {@code enabled: false} and {@code registry}; the agent then removes what it added.
 *
 * @param registry   {@code <namespace>/<name>} of the Registry, used in comments, file names and reports
 * @param hosts      the names pods use in image references, each {@code host:port}
 * @param endpoint   where nodes reach the registry: the Service's ClusterIP and port
 * @param tls        whether the registry serves HTTPS; then {@code caPem} is the CA nodes must trust
 * @param caPem      PEM of the CA certificate(s); ignored when {@code tls} is false
 * @param runtimes   the runtimes to configure on every node of the DaemonSet
 * @param containerd containerd options; null means the defaults
 * @param nodeLocal  the opt-in node-local forwarder for Docker nodes; null means off
 * @param mirrors    upstream registries the registry caches (its {@code proxy.upstreams}): each node's runtime pulls
 *                   images of these hosts through the registry, falling back to the upstream itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeAccessPlan(
    boolean enabled,
    String registry,
    List<String> hosts,
    String endpoint,
    boolean tls,
    String caPem,
    List<Runtime> runtimes,
    ContainerdOptions containerd,
    NodeLocal nodeLocal,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Mirror> mirrors) {

  /** A plan without pull-through mirrors. */
  public NodeAccessPlan(boolean enabled, String registry, List<String> hosts, String endpoint, boolean tls,
      String caPem, List<Runtime> runtimes, ContainerdOptions containerd, NodeLocal nodeLocal) {
    this(enabled, registry, hosts, endpoint, tls, caPem, runtimes, containerd, nodeLocal, null);
  }

  /**
   * One upstream the registry caches.
   *
   * @param host   the registry host image names carry, e.g. {@code docker.io}: containerd's hosts directory name and
   *               the {@code ?ns=} the registry routes by
   * @param server the upstream's own URL, containerd's fallback when the registry is down
   */
  public record Mirror(String host, String server) {
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");

    public Mirror {
      if (host == null || !HOST.matcher(host).matches()) {
        throw new InvalidPlanException("mirrors[].host \"" + host + "\" is not a registry host such as docker.io");
      }
      if (server == null || !(server.startsWith("https://") || server.startsWith("http://"))
          || server.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
        throw new InvalidPlanException("mirrors[].server \"" + server + "\" is not an http(s) URL");
      }
    }
  }

  private static final Pattern REGISTRY_ID =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * containerd options.
   *
   * @param patchConfigToml opt-in: set {@code config_path} in config.toml when it is unset (needs a containerd restart)
   * @param configToml      host path of containerd's config file
   * @param configPath      the hosts directory to set when patching
   */
  public record ContainerdOptions(boolean patchConfigToml, String configToml, String configPath) {
    public static final String DEFAULT_CONFIG_TOML = "/etc/containerd/config.toml";
    public static final String DEFAULT_CONFIG_PATH = "/etc/containerd/certs.d";

    public ContainerdOptions {
      configToml = configToml == null || configToml.isBlank() ? DEFAULT_CONFIG_TOML : configToml;
      configPath = configPath == null || configPath.isBlank() ? DEFAULT_CONFIG_PATH : configPath;
      if (!configToml.startsWith("/") || !configPath.startsWith("/")) {
        throw new InvalidPlanException("containerd.configToml and containerd.configPath must be absolute host paths");
      }
      if (configPath.contains(":")) {
        throw new InvalidPlanException("containerd.configPath \"" + configPath + "\" must be a single directory");
      }
    }

    public static ContainerdOptions defaults() {
      return new ContainerdOptions(false, null, null);
    }
  }

  /**
   * The Docker hostPort mode: the agent's pod forwards {@code localhost:<port>} on the node to the endpoint, so Docker
   * (which cannot map a name to another address) pulls by {@code localhost:<port>/...}.
   */
  public record NodeLocal(boolean enabled, int port) {
    public NodeLocal {
      if (enabled && (port < 1 || port > 65535)) {
        throw new InvalidPlanException("nodeLocal.port " + port + " is outside 1-65535");
      }
    }
  }

  public NodeAccessPlan {
    if (registry == null || !REGISTRY_ID.matcher(registry).matches()) {
      throw new InvalidPlanException("registry \"" + registry + "\" must be <namespace>/<name> of the Registry");
    }
    if ((hosts != null && hosts.stream().anyMatch(Objects::isNull))
        || (runtimes != null && runtimes.stream().anyMatch(Objects::isNull))) {
      throw new InvalidPlanException("hosts and runtimes must not contain null");
    }
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    containerd = containerd == null ? ContainerdOptions.defaults() : containerd;
    if (mirrors != null && mirrors.stream().anyMatch(Objects::isNull)) {
      throw new InvalidPlanException("mirrors must not contain null");
    }
    mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    if (mirrors.stream().map(Mirror::host).distinct().count() != mirrors.size()) {
      throw new InvalidPlanException("mirrors lists a host twice");
    }
    caPem = tls ? caPem : null;
    if (enabled) {
      validateEnabled(hosts, endpoint, tls, caPem, runtimes);
    }
  }

  private static void validateEnabled(
      List<String> hosts, String endpoint, boolean tls, String caPem, List<Runtime> runtimes) {
    if (hosts.isEmpty()) {
      throw new InvalidPlanException("hosts is empty; an enabled plan needs at least one registry host:port");
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < hosts.size(); i++) {
      HostPort parsed = HostPort.parse(hosts.get(i), "hosts[" + i + "]");
      if (!seen.add(parsed.authority())) {
        throw new InvalidPlanException("hosts[" + i + "] \"" + hosts.get(i) + "\" is listed twice");
      }
    }
    HostPort.parse(endpoint, "endpoint");
    if (runtimes.isEmpty()) {
      throw new InvalidPlanException("runtimes is empty; name at least one of containerd, docker, k3s, rke2");
    }
    if (new HashSet<>(runtimes).size() != runtimes.size()) {
      throw new InvalidPlanException("runtimes " + runtimes + " has a repeated entry");
    }
    if (tls) {
      validateCa(caPem);
    }
  }

  private static void validateCa(String caPem) {
    if (caPem == null || caPem.isBlank()) {
      throw new InvalidPlanException("caPem is empty but tls is true; nodes need the CA to trust the registry");
    }
    try {
      var certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new InvalidPlanException("caPem holds no certificate");
      }
    } catch (CertificateException e) {
      throw new InvalidPlanException("caPem is not a PEM X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Reads and validates a plan; every problem is an {@link InvalidPlanException} naming the field. */
  public static NodeAccessPlan parse(String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidPlanException("plan is empty");
    }
    try {
      NodeAccessPlan plan = JSON.readValue(json, NodeAccessPlan.class);
      if (plan == null) {
        throw new InvalidPlanException("plan is JSON null");
      }
      return plan;
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof InvalidPlanException invalid) {
        throw invalid;
      }
      throw new InvalidPlanException("plan is not a valid node-access plan: " + e.getOriginalMessage(), e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a plan always serialises", e);
    }
  }

  public List<HostPort> hostPorts() {
    return hosts.stream().map(host -> HostPort.parse(host, "hosts")).toList();
  }

  public HostPort endpointAddress() {
    return HostPort.parse(endpoint, "endpoint");
  }

  /** {@code https} or {@code http}, as runtimes spell the endpoint's scheme. */
  public String scheme() {
    return tls ? "https" : "http";
  }

  public boolean nodeLocalEnabled() {
    return nodeLocal != null && nodeLocal.enabled();
  }

  /** A name safe in file names for this Registry: {@code <namespace>_<name>} ('_' is in neither). */
  public String registryFileName() {
    return registry.replace('/', '_');
  }
}
