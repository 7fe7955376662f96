package dev.berth.operator.dependent;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.plan.RegistryPlan;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.tls.SelfSignedCertificates;
import dev.berth.operator.tls.TlsKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secret {@code <name>-tls} (kubernetes.io/tls: tls.crt, tls.key, ca.crt), mounted at the server's TLS directory:
 * the serving certificate the plan kept or issued ({@link SelfSignedCertificates}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class TlsSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {

  public TlsSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryPlan plan = RegistryPlan.of(context);
    SelfSignedCertificates certificates = plan.selfSigned().orElseThrow();
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TlsKeys.TLS_CERT, SecretData.encode(certificates.serving().certificate()));
    data.put(TlsKeys.TLS_KEY, SecretData.encode(certificates.serving().privateKey()));
    data.put(TlsKeys.CA_CERT, SecretData.encode(certificates.ca().certificate()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(plan.names().tlsSecret())
        .withNamespace(plan.names().namespace())
        .withLabels(plan.names().labels())
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  /**
   * Which of the Registry's Secrets is this one, by name alone: the workflow asks also when the precondition fails
   * (to delete it), and then the plan holds nothing to render.
   */
  @Override
  protected Optional<Secret> selectTargetSecondaryResource(
      Set<Secret> secondaries, Registry registry, Context<Registry> context) {
    String name = RegistryNames.of(registry).tlsSecret();
    return secondaries.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }
}
