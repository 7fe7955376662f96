package dev.berth.operator.dependent;

import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What nodes need to trust the registry: whether it serves HTTPS, the CA to trust, and the extra names its certificate
 * carries (which become extra plan hosts).
 *
 * @param tls whether the registry serves HTTPS
 * @param caPem the CA certificate(s) in PEM; empty when {@code tls} is false
 * @param extraHostnames spec.tls.extraHostnames, without ports
 */
public record RegistryTrust(boolean tls, String caPem, List<String> extraHostnames) {
  public static final RegistryTrust PLAIN_HTTP = new RegistryTrust(false, "", List.of());

  public RegistryTrust {
    caPem = caPem == null ? "" : caPem;
    extraHostnames = extraHostnames == null ? List.of() : List.copyOf(extraHostnames);
  }

  /**
   * The trust for the Registry's spec.tls: plain HTTP when TLS is off; with mode SelfSigned the operator's CA, key
   * {@code ca.crt} of the Secret {@code <name>-tls}; with mode Secret the user's Secret's {@code ca.crt}, or when it
   * has none its {@code tls.crt} chain (nodes then trust exactly that certificate). Empty while the Secret or its CA
   * is not there yet: the plan waits for it.
   */
  public static Optional<RegistryTrust> of(Registry registry, KubernetesClient client) {
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    if (!tls.enabled()) {
      return Optional.of(PLAIN_HTTP);
    }
    RegistryNames names = RegistryNames.of(registry);
    String secretName = tls.modeOrDefault() == TlsMode.Secret ? tls.getSecretName() : names.tlsSecret();
    if (secretName == null || secretName.isBlank()) {
      return Optional.empty();
    }
    Secret secret = client.secrets().inNamespace(names.namespace()).withName(secretName).get();
    Optional<String> ca = text(secret, TlsSecretDependent.CA_CERT);
    if (ca.isEmpty() && tls.modeOrDefault() == TlsMode.Secret) {
      ca = text(secret, TlsSecretDependent.TLS_CERT);
    }
    return ca.map(pem -> new RegistryTrust(true, pem, tls.extraHostnamesOrEmpty()));
  }

  /** Where the plan's CA comes from, for messages. */
  public static String source(Registry registry) {
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    return "Secret " + (tls.modeOrDefault() == TlsMode.Secret
        ? tls.getSecretName()
        : RegistryNames.of(registry).tlsSecret());
  }

  private static Optional<String> text(Secret secret, String key) {
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      return Optional.empty();
    }
    try {
      String pem = new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
      return pem.isBlank() ? Optional.empty() : Optional.of(pem);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
