package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The node agent's ServiceAccount {@code <name>-node-agent}; its Role allows only writing its node reports. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeAgentServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, Registry> {

  public NodeAgentServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(names.nodeAgent())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .build();
  }
}
