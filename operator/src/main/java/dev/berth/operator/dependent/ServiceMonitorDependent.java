package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ServiceMonitor {@code <name>} (monitoring.coreos.com/v1, spec.metrics.serviceMonitor): Prometheus scrapes
 * /metrics on the port named metrics of every pod behind the headless Service. Its spec is plain maps
 * ({@link ServiceMonitorResource}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class ServiceMonitorDependent extends CRUDKubernetesDependentResource<ServiceMonitorResource, Registry> {
  public ServiceMonitorDependent() {
    super(ServiceMonitorResource.class);
  }

  @Override
  protected ServiceMonitorResource desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    Map<String, String> selector = new LinkedHashMap<>(names.selectorLabels());
    selector.put(HeadlessServiceDependent.ROLE_LABEL, HeadlessServiceDependent.ROLE);
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", StatefulSetDependent.METRICS_PORT_NAME);
    endpoint.put("path", ServerConfigRenderer.METRICS_PATH);
    endpoint.put("scheme", "http");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", selector));
    spec.put("namespaceSelector", Map.of("matchNames", List.of(names.namespace())));
    spec.put("endpoints", List.of(endpoint));
    ServiceMonitorResource resource = new ServiceMonitorResource();
    resource.setMetadata(new ObjectMetaBuilder()
        .withName(names.monitoring())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .build());
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }
}
