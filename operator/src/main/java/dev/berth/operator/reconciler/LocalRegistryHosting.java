package dev.berth.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The KEP-1755 discovery ConfigMap {@code kube-public/local-registry-hosting}, which Tilt, Skaffold and friends read to
 * find the cluster's registry. There is one per cluster, so the first Registry to publish it holds it (annotation
 * {@value #OWNER_ANNOTATION}) until it is deleted or stops publishing; a ConfigMap someone else published (kind's own,
 * another Registry's) is never touched. Owner references cannot cross namespaces, so removal is explicit.
 */
public final class LocalRegistryHosting {
  public static final String NAMESPACE = "kube-public";
  public static final String NAME = "local-registry-hosting";
  public static final String KEY = "localRegistryHosting.v1";
  public static final String OWNER_ANNOTATION = "berth.dev/registry";
  public static final String HELP = "https://github.com/berth-dev/berth/blob/main/docs/node-access.md";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  /** What publishing did. */
  public enum Outcome {
    PUBLISHED,
    UNCHANGED,
    /** Another Registry, or something else, holds the ConfigMap. */
    HELD_ELSEWHERE
  }

  private final KubernetesClient client;

  public LocalRegistryHosting(KubernetesClient client) {
    this.client = client;
  }

  /** Publishes this Registry's hosting unless the ConfigMap belongs to someone else. */
  public Outcome publish(Registry registry) {
    RegistryNames names = RegistryNames.of(registry);
    String content = render(registry);
    ConfigMap current = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
    if (current == null) {
      try {
        client.configMaps().inNamespace(NAMESPACE).resource(configMap(names, content)).create();
        return Outcome.PUBLISHED;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
          return Outcome.HELD_ELSEWHERE; // another Registry was quicker
        }
        throw e;
      }
    }
    if (!ours(current, names)) {
      return Outcome.HELD_ELSEWHERE;
    }
    if (current.getData() != null && content.equals(current.getData().get(KEY))) {
      return Outcome.UNCHANGED;
    }
    ConfigMap next = configMap(names, content);
    next.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    client.configMaps().inNamespace(NAMESPACE).resource(next).update();
    return Outcome.PUBLISHED;
  }

  /** Deletes the ConfigMap if this Registry published it; true when it did. */
  public boolean remove(Registry registry) {
    ConfigMap current = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
    if (current == null || !ours(current, RegistryNames.of(registry))) {
      return false;
    }
    client.configMaps().inNamespace(NAMESPACE).withName(NAME).delete();
    return true;
  }

  /** The {@value #KEY} YAML: where developers push, where runtimes pull, where pods in the cluster pull. */
  public static String render(Registry registry) {
    RegistryNames names = RegistryNames.of(registry);
    NodeAccessSpec spec = registry.getSpec().nodeAccessOrDefault();
    String clusterName = names.endpoint(registry.getSpec().serviceOrDefault().portOrDefault());
    String host = spec.localRegistryHostingOrDefault().getHost();
    Map<String, String> hosting = new LinkedHashMap<>();
    hosting.put("host", host == null || host.isBlank() ? clusterName : host);
    hosting.put("hostFromContainerRuntime", spec.nodeLocalOrDefault().enabledOrDefault()
        ? "localhost:" + spec.nodeLocalOrDefault().portOrDefault()
        : clusterName);
    hosting.put("hostFromClusterNetwork", clusterName);
    hosting.put("help", HELP);
    try {
      return YAML.writeValueAsString(hosting);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean ours(ConfigMap configMap, RegistryNames names) {
    Map<String, String> annotations = configMap.getMetadata().getAnnotations();
    return annotations != null && Objects.equals(annotations.get(OWNER_ANNOTATION), names.registryId());
  }

  private static ConfigMap configMap(RegistryNames names, String content) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .addToAnnotations(OWNER_ANNOTATION, names.registryId())
        .addToLabels(RegistryNames.MANAGED_BY_LABEL, RegistryNames.MANAGED_BY)
        .endMetadata()
        .addToData(KEY, content)
        .build();
  }
}
