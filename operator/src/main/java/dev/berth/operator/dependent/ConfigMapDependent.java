package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.ServerConfigRenderer;

import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ConfigMap {@code <name>-config} holding the server's config.yaml. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class ConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Registry> {

  public ConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    RegistryNames names = plan.names();
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(names.configMap())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .addToData(ServerConfigRenderer.CONFIG_FILE, plan.serverConfig())
        .build();
  }
}
