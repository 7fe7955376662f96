package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.ServiceSpec;
import dev.berth.operator.spec.ServiceType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The client Service {@code <name>}: what pushers, pullers and nodes talk to. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class ClientServiceDependent extends CRUDKubernetesDependentResource<Service, Registry> {

  public ClientServiceDependent() {
    super(Service.class);
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
        .withPorts(port.build())
        .endSpec()
        .build();
  }
}
