package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headless Service {@code <name>-headless} that gives the StatefulSet's pods stable DNS names, with the metrics
 * port while spec.metrics is on (what the ServiceMonitor scrapes).
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class HeadlessServiceDependent extends CRUDKubernetesDependentResource<Service, Registry> {
  /**
   * Tells the headless Service from the client Service (both carry the Registry's labels): the ServiceMonitor selects
   * by it, since this Service reaches every pod and is never published outside the cluster, whatever
   * spec.service.type says. Always set, since the operator's updates add labels and never take one away.
   */
  public static final String ROLE_LABEL = "berth.dev/service";
  public static final String ROLE = "headless";

  public HeadlessServiceDependent() {
    super(Service.class);
  }

  /** Also a port too many (metrics turned off) is a difference: {@link ServicePortsMatch}. */
  @Override
  public Matcher.Result<Service> match(Service actual, Service desired, Registry registry, Context<Registry> context) {
    Matcher.Result<Service> result = super.match(actual, desired, registry, context);
    return result.matched() && !ServicePortsMatch.samePorts(actual, desired) ? Matcher.Result.nonComputed(false) : result;
  }

  @Override
  protected Service desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    boolean metrics = registry.getSpec().metricsOrDefault().enabledOrDefault();
    Map<String, String> labels = new LinkedHashMap<>(names.labels());
    labels.put(ROLE_LABEL, ROLE);
    ServiceBuilder service = new ServiceBuilder()
        .withNewMetadata()
        .withName(names.headlessService())
        .withNamespace(names.namespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(names.selectorLabels())
        .addNewPort()
        .withName(StatefulSetDependent.PORT_NAME)
        .withProtocol("TCP")
        .withPort(ServerConfigRenderer.CONTAINER_PORT)
        .withTargetPort(new IntOrString(StatefulSetDependent.PORT_NAME))
        .endPort()
        .endSpec();
    if (metrics) {
      service.editSpec().addNewPort()
          .withName(StatefulSetDependent.METRICS_PORT_NAME)
          .withProtocol("TCP")
          .withPort(ServerConfigRenderer.METRICS_PORT)
          .withTargetPort(new IntOrString(StatefulSetDependent.METRICS_PORT_NAME))
          .endPort().endSpec();
    }
    return service.build();
  }
}
