package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The node agent's Role: get and patch of its report ConfigMap, nothing else. The plan comes as a mounted file, and
 * the operator creates the report ConfigMap, so the agents need neither read access to other objects nor create.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeAgentRoleDependent extends CRUDKubernetesDependentResource<Role, Registry> {

  public NodeAgentRoleDependent() {
    super(Role.class);
  }

  @Override
  protected Role desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new RoleBuilder()
        .withNewMetadata()
        .withName(names.nodeAgent())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .withRules(new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("configmaps")
            .withResourceNames(names.nodeReports())
            .withVerbs("get", "patch")
            .build())
        .build();
  }
}
