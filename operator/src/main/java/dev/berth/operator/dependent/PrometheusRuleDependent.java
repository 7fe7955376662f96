package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.AlertRules;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** The PrometheusRule {@code <name>} (monitoring.coreos.com/v1) with the Registry's alerts ({@link AlertRules}). */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class PrometheusRuleDependent extends CRUDKubernetesDependentResource<PrometheusRuleResource, Registry> {
  public PrometheusRuleDependent() {
    super(PrometheusRuleResource.class);
  }

  @Override
  protected PrometheusRuleResource desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    PrometheusRuleResource resource = new PrometheusRuleResource();
    resource.setMetadata(new ObjectMetaBuilder()
        .withName(names.monitoring())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .build());
    resource.setAdditionalProperty("spec", Map.of("groups", AlertRules.groups(registry)));
    return resource;
  }
}
