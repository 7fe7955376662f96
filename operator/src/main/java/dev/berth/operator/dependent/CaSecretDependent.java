package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.tls.CertificateAuthority.PemPair;
import dev.berth.operator.tls.TlsKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** The Secret {@code <name>-ca}: the operator's CA for one Registry (ca.crt, ca.key), as the plan keeps or renews it. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class CaSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {

  public CaSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    PemPair ca = plan.selfSigned().orElseThrow().ca();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(plan.names().caSecret())
        .withNamespace(plan.names().namespace())
        .withLabels(plan.names().labels())
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(TlsKeys.CA_CERT, SecretData.encode(ca.certificate()),
            TlsKeys.CA_KEY, SecretData.encode(ca.privateKey())))
        .build();
  }

  /**
   * Which of the Registry's Secrets is this one, by name alone: the workflow asks also when the precondition fails
   * (to delete it), and then the plan holds nothing to render.
   */
  @Override
  protected Optional<Secret> selectTargetSecondaryResource(
      Set<Secret> secondaries, Registry registry, Context<Registry> context) {
    String name = RegistryNames.of(registry).caSecret();
    return secondaries.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }
}
