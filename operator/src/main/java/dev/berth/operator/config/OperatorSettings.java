package dev.berth.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own settings, read from environment variables (the Deployment sets them; out of cluster the defaults
 * suit a developer).
 *
 * @param registryImage image for Registries that name none ({@code BERTH_REGISTRY_IMAGE}; default: the registry-server
 *     image of this operator's version)
 * @param namespaces namespaces to watch ({@code BERTH_WATCH_NAMESPACES}, comma-separated; empty: all)
 * @param leaderElection Lease to hold before reconciling ({@code BERTH_LEADER_ELECTION=true}, lease
 *     {@code BERTH_LEASE_NAME} in {@code BERTH_LEASE_NAMESPACE} or {@code POD_NAMESPACE}); empty when off
 * @param health where the probe endpoints listen ({@code BERTH_HEALTH_ADDR}, {@code [host]:port}, default
 *     127.0.0.1:8081; {@code off} disables them)
 * @param recheck how often a Registry that is not Ready yet is looked at again, since claims and pods are not watched
 *     ({@code BERTH_RECHECK_SECONDS}, 1-3600, default 30)
 * @param nodeAgentImage image of the node agent DaemonSet ({@code BERTH_NODE_AGENT_IMAGE}; default: the operator image
 *     of this version, whose {@code node-agent} command the agent is)
 */
public record OperatorSettings(
    String registryImage,
    Set<String> namespaces,
    Optional<LeaseSettings> leaderElection,
    Optional<Address> health,
    Duration recheck,
    String nodeAgentImage) {

  public static final String DEFAULT_LEASE_NAME = "berth-operator-lock";

  /**
   * A Lease name and namespace.
   *
   * @param exitWhenLost end the process when leadership is lost (so a restarted pod rejoins the election cleanly);
   *     tests that stop an operator inside their JVM turn it off
   */
  public record LeaseSettings(String name, String namespace, boolean exitWhenLost) {}

  /** A listen address; an empty host means every interface. */
  public record Address(String host, int port) {
    public static Address parse(String key, String value) {
      int colon = value.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(key + "=" + value + ": expected [host]:port");
      }
      String host = value.substring(0, colon);
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + "=" + value + ": the port is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(key + "=" + value + ": the port must be 0-65535");
      }
      return new Address(host, port);
    }
  }

  public static OperatorSettings defaults(BuildInfo build) {
    return fromEnvironment(Map.of(), build);
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env, BuildInfo build) {
    String image = env.getOrDefault("BERTH_REGISTRY_IMAGE", "").trim();
    if (image.isEmpty()) {
      image = build.defaultRegistryImage();
    } else if (image.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("BERTH_REGISTRY_IMAGE=" + image + ": an image reference has no spaces");
    }
    Set<String> namespaces = Arrays.stream(env.getOrDefault("BERTH_WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    for (String ns : namespaces) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new IllegalArgumentException("BERTH_WATCH_NAMESPACES: '" + ns + "' is not a namespace name");
      }
    }
    String agentImage = env.getOrDefault("BERTH_NODE_AGENT_IMAGE", "").trim();
    if (agentImage.isEmpty()) {
      agentImage = build.defaultOperatorImage();
    } else if (agentImage.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("BERTH_NODE_AGENT_IMAGE=" + agentImage + ": an image reference has no spaces");
    }
    return new OperatorSettings(image, namespaces, leaderElection(env), health(env), recheck(env), agentImage);
  }

  private static Duration recheck(Map<String, String> env) {
    String value = env.getOrDefault("BERTH_RECHECK_SECONDS", "30").trim();
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BERTH_RECHECK_SECONDS=" + value + ": expected whole seconds");
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("BERTH_RECHECK_SECONDS=" + value + ": expected 1-3600");
    }
    return Duration.ofSeconds(seconds);
  }

  /** The same settings with another recheck interval (tests use a short one). */
  public OperatorSettings withRecheck(Duration interval) {
    return new OperatorSettings(registryImage, namespaces, leaderElection, health, interval, nodeAgentImage);
  }

  private static Optional<LeaseSettings> leaderElection(Map<String, String> env) {
    String enabled = env.getOrDefault("BERTH_LEADER_ELECTION", "false").trim();
    if (enabled.equals("false")) {
      return Optional.empty();
    }
    if (!enabled.equals("true")) {
      throw new IllegalArgumentException("BERTH_LEADER_ELECTION=" + enabled + ": expected true or false");
    }
    String namespace = env.getOrDefault("BERTH_LEASE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "")).trim();
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException(
          "BERTH_LEADER_ELECTION=true needs the Lease's namespace: set BERTH_LEASE_NAMESPACE or POD_NAMESPACE");
    }
    String name = env.getOrDefault("BERTH_LEASE_NAME", DEFAULT_LEASE_NAME).trim();
    return Optional.of(new LeaseSettings(name, namespace, true));
  }

  private static Optional<Address> health(Map<String, String> env) {
    String value = env.getOrDefault("BERTH_HEALTH_ADDR", "127.0.0.1:8081").trim();
    if (value.equals("off")) {
      return Optional.empty();
    }
    return Optional.of(Address.parse("BERTH_HEALTH_ADDR", value));
  }
}
