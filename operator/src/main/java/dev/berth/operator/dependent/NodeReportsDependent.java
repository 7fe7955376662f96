package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;

import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The ConfigMap {@code <name>-node-reports} the agents write their reports into, one key per node. The operator only
 * creates it (so the agents need nothing but get and patch) and never updates it: its data belongs to the agents.
 * Its changes trigger a reconcile, which turns the reports into status.nodes and the NodesConfigured condition.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class NodeReportsDependent extends KubernetesDependentResource<ConfigMap, Registry>
    implements Creator<ConfigMap, Registry>, GarbageCollected<Registry> {

  public NodeReportsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(names.nodeReports())
        .withNamespace(names.namespace())
        .withLabels(names.nodeAgentLabels())
        .endMetadata()
        .build();
  }
}
