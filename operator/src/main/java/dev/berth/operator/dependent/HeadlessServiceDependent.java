package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The headless Service {@code <name>-headless} that gives the StatefulSet's pods stable DNS names. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class HeadlessServiceDependent extends CRUDKubernetesDependentResource<Service, Registry> {

  public HeadlessServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(names.headlessService())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
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
        .endSpec()
        .build();
  }
}
