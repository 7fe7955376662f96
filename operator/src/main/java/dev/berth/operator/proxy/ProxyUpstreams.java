package dev.berth.operator.proxy;

import dev.berth.operator.nodeaccess.NodeAccessPlan;
import dev.berth.operator.spec.ProxySpec;
import dev.berth.operator.spec.UpstreamSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * spec.proxy as the server and the nodes need it: the server's {@code proxy.upstreams} (credentials as files of a
 * projected Secret volume, so a rotated Secret reaches the server without a restart), the volume itself, and the
 * node agents' mirrors (the upstream host, with the upstream as containerd's fallback server).
 */
public final class ProxyUpstreams {
  public static final String VOLUME = "proxy-credentials";
  public static final String MOUNT_DIR = "/etc/berth/proxy";
  /** Keys of a credentialsSecret. */
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  private static final String DOCKER_HUB = "docker.io";

  private ProxyUpstreams() {}

  /** The server's {@code proxy} section, or empty when no upstream is configured. */
  public static Optional<Map<String, Object>> serverConfig(ProxySpec spec) {
    if (spec.upstreamsOrEmpty().isEmpty()) {
      return Optional.empty();
    }
    List<Map<String, Object>> upstreams = new ArrayList<>();
    for (UpstreamSpec upstream : spec.upstreamsOrEmpty()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", upstream.getName());
      entry.put("url", upstream.urlOrEmpty());
      entry.put("host", upstream.hostOrDefault());
      if (upstream.hasCredentials()) {
        entry.put("usernamefile", MOUNT_DIR + "/" + upstream.getName() + "/" + USERNAME);
        entry.put("passwordfile", MOUNT_DIR + "/" + upstream.getName() + "/" + PASSWORD);
      }
      if (upstream.getTtl() != null && !upstream.getTtl().isBlank()) {
        entry.put("ttl", upstream.getTtl());
      }
      if (upstream.hostOrDefault().equals(DOCKER_HUB)) {
        // Docker nodes' registry-mirrors requests name neither the upstream nor a prefix
        entry.put("dockermirror", true);
      }
      upstreams.add(entry);
    }
    return Optional.of(Map.of("upstreams", upstreams));
  }

  /** One projected volume with {@code <name>/username} and {@code <name>/password} per upstream with credentials. */
  public static Optional<Volume> credentialsVolume(ProxySpec spec) {
    List<VolumeProjection> sources = new ArrayList<>();
    for (UpstreamSpec upstream : spec.upstreamsOrEmpty()) {
      if (upstream.hasCredentials()) {
        sources.add(new VolumeProjectionBuilder().withNewSecret().withName(upstream.getCredentialsSecret())
            .addNewItem().withKey(USERNAME).withPath(upstream.getName() + "/" + USERNAME).endItem()
            .addNewItem().withKey(PASSWORD).withPath(upstream.getName() + "/" + PASSWORD).endItem()
            .endSecret().build());
      }
    }
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new VolumeBuilder().withName(VOLUME)
        .withNewProjected().withDefaultMode(0440).withSources(sources).endProjected().build());
  }

  public static Optional<VolumeMount> credentialsMount(ProxySpec spec) {
    return credentialsVolume(spec).map(v -> new VolumeMountBuilder()
        .withName(VOLUME).withMountPath(MOUNT_DIR).withReadOnly(true).build());
  }

  /** What every node mirrors through the registry: each upstream's host, the upstream URL as the fallback. */
  public static List<NodeAccessPlan.Mirror> mirrors(ProxySpec spec) {
    return spec.upstreamsOrEmpty().stream()
        .map(u -> new NodeAccessPlan.Mirror(u.hostOrDefault(), u.urlOrEmpty()))
        .toList();
  }

  /** Spec problems the schema cannot see: names and hosts must be unique, since they route requests. */
  public static List<String> problems(ProxySpec spec) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    for (UpstreamSpec upstream : spec.upstreamsOrEmpty()) {
      if (upstream.getName() == null || upstream.getUrl() == null) {
        problems.add("proxy.upstreams: every upstream needs a name and a url");
        continue;
      }
      if (!names.add(upstream.getName())) {
        problems.add("proxy.upstreams: name " + upstream.getName() + " appears twice");
      }
      try {
        if (!hosts.add(upstream.hostOrDefault())) {
          problems.add("proxy.upstreams: host " + upstream.hostOrDefault() + " appears twice");
        }
      } catch (IllegalArgumentException e) {
        problems.add("proxy.upstreams: '" + upstream.getUrl() + "' is not a URL");
      }
    }
    return problems;
  }
}
