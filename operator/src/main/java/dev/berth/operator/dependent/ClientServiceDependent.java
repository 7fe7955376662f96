package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.ServiceSpec;
import dev.berth.operator.spec.ServiceType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The client Service {@code <name>}: what pushers, pullers and nodes talk to. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class ClientServiceDependent extends CRUDKubernetesDependentResource<Service, Registry> {

  public ClientServiceDependent() {
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
    ServiceSpec service = registry.getSpec().serviceOrDefault();
    ServicePortBuilder port = new ServicePortBuilder()
        .withName(StatefulSetDependent.PORT_NAME)
        .withProtocol("TCP")
        .withPort(service.portOrDefault())
        .withTargetPort(new IntOrString(StatefulSetDependent.PORT_NAME));
    if (service.typeOrDefault() != ServiceType.ClusterIP && service.getNodePort() != null) {
      port.withNodePort(service.getNodePort());
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(names.clientService())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withNewSpec()
        .withType(service.typeOrDefault().name())
        .withSelector(names.selectorLabels())
        .withPorts(ports(registry, port.build()))
        .endSpec()
        .build();
  }

  /**
   * The registry port, and the metrics port while spec.metrics is on, for in-cluster readers. Only on a ClusterIP
   * Service: a NodePort or LoadBalancer would publish the metrics outside the cluster (the headless Service, which
   * the ServiceMonitor selects, always has the port).
   */
  private static List<ServicePort> ports(Registry registry, ServicePort registryPort) {
    if (!registry.getSpec().metricsOrDefault().enabledOrDefault()
        || registry.getSpec().serviceOrDefault().typeOrDefault() != ServiceType.ClusterIP) {
      return List.of(registryPort);
    }
    return List.of(registryPort, new ServicePortBuilder()
        .withName(StatefulSetDependent.METRICS_PORT_NAME)
        .withProtocol("TCP")
        .withPort(ServerConfigRenderer.METRICS_PORT)
        .withTargetPort(new IntOrString(StatefulSetDependent.METRICS_PORT_NAME))
        .build());
  }
}
