package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The PodDisruptionBudget {@code <name>} of a Registry with more than one replica ({@link SeveralReplicas}): a node
 * drain or cluster upgrade evicts one registry pod at a time, so the others keep serving. maxUnavailable rather than
 * minAvailable, so it follows scaling without being rewritten and never blocks a drain outright. One replica gets none:
 * a budget would either block every drain (minAvailable 1) or promise nothing.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, Registry> {

  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(names.disruptionBudget())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(names.selectorLabels())
        .endSelector()
        .endSpec()
        .build();
  }
}
