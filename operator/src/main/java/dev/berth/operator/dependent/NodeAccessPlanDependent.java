package dev.berth.operator.dependent;

import dev.berth.operator.plan.NodeAccessPlanRenderer;
import dev.berth.operator.plan.NodeAccessState;
import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The ConfigMap {@code <name>-node-access}: the node agents' plan ({@value NodeAccessPlanRenderer#PLAN_KEY}), mounted
 * as a file in their pods. Agents follow the file, so a changed plan needs no pod restart.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeAccessPlanDependent extends CRUDKubernetesDependentResource<ConfigMap, Registry> {

  public NodeAccessPlanDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    NodeAccessState state = RegistryPlan.of(context).nodeAccessState();
    ConfigMapBuilder configMap = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(names.nodeAccessPlan())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .addToData(NodeAccessPlanRenderer.PLAN_KEY, state.planJson() == null ? "" : state.planJson());
    if (state.phase() == NodeAccessState.Phase.REMOVING) {
      configMap.editMetadata()
          .withAnnotations(Map.of(NodeAccessState.DISABLED_SINCE_ANNOTATION, state.disabledSince().toString()))
          .endMetadata();
    }
    return configMap.build();
  }
}
