package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Binds the node agent's Role to its ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeAgentRoleBindingDependent extends CRUDKubernetesDependentResource<RoleBinding, Registry> {

  public NodeAgentRoleBindingDependent() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(names.nodeAgent())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(names.nodeAgent())
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(names.nodeAgent())
        .withNamespace(names.namespace())
        .endSubject()
        .build();
  }
}
