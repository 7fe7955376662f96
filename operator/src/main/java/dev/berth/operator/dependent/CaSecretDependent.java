package dev.berth.operator.dependent;

import dev.berth.operator.dependent.CertificateAuthority.PemPair;
import dev.berth.operator.spec.Registry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** The Secret {@code <name>-ca}: the operator's CA for one Registry (ca.crt, ca.key). Kept until it nears expiry. */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class CaSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";

  public CaSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    Map<String, String> data = current(names, context)
        .filter(ca -> !CertificateAuthority.needsRenewal(CertificateAuthority.parseCertificate(ca.certificate()),
            Instant.now()))
        .map(ca -> Map.of(CA_CERT, b64(ca.certificate()), CA_KEY, b64(ca.privateKey())))
        .orElseGet(() -> {
          PemPair ca = CertificateAuthority.newCa("berth " + names.namespace() + "/" + names.name() + " CA",
              Instant.now());
          return Map.of(CA_CERT, b64(ca.certificate()), CA_KEY, b64(ca.privateKey()));
        });
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.caSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The CA currently stored for this Registry, if there is a readable one. */
  public static Optional<PemPair> current(RegistryNames names, Context<Registry> context) {
    return context.getSecondaryResources(Secret.class).stream()
        .filter(s -> names.caSecret().equals(s.getMetadata().getName()))
        .findFirst()
        .flatMap(s -> pair(s, CA_CERT, CA_KEY));
  }

  static Optional<PemPair> pair(Secret secret, String certKey, String keyKey) {
    if (secret.getData() == null || !secret.getData().containsKey(certKey) || !secret.getData().containsKey(keyKey)) {
      return Optional.empty();
    }
    try {
      PemPair pair = new PemPair(unb64(secret.getData().get(certKey)), unb64(secret.getData().get(keyKey)));
      CertificateAuthority.parseCertificate(pair.certificate());
      CertificateAuthority.parsePrivateKey(pair.privateKey());
      return Optional.of(pair);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  static String unb64(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }
}
