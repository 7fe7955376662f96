package dev.berth.operator.dependent;

import dev.berth.operator.auth.AuthSecretContent;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;
import java.util.Set;

/** The Secret {@code <name>-auth}: rendered htpasswd and the token signing key ({@link AuthSecretContent}). */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class AuthSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {

  public AuthSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(plan.names().authSecret())
        .withNamespace(plan.names().namespace())
        .withLabels(plan.names().labels())
        .endMetadata()
        .withType("Opaque")
        .withData(plan.authSecretData().orElseThrow())
        .build();
  }

  /**
   * Which of the Registry's Secrets is this one, by name alone: the workflow asks also when the precondition fails
   * (to delete it), and then the plan holds nothing to render.
   */
  @Override
  protected Optional<Secret> selectTargetSecondaryResource(
      Set<Secret> secondaries, Registry registry, Context<Registry> context) {
    String name = RegistryNames.of(registry).authSecret();
    return secondaries.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }
}
