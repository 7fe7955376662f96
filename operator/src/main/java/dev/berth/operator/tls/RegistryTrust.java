package dev.berth.operator.tls;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
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
   * The trust for the Registry's spec.tls: plain HTTP when TLS is off; with mode SelfSigned the operator's CA; with
   * mode Secret the user's Secret's {@code ca.crt}, or when it has none its {@code tls.crt} chain (nodes then trust
   * exactly that certificate). Empty while the user's Secret or its CA is not there yet: the plan waits for it.
   */
  public static Optional<RegistryTrust> of(Observation seen, Optional<SelfSignedCertificates> selfSigned) {
    Registry registry = seen.registry();
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    if (!tls.enabled()) {
      return Optional.of(PLAIN_HTTP);
    }
    Optional<String> ca;
    if (tls.modeOrDefault() == TlsMode.SelfSigned) {
      ca = selfSigned.map(s -> s.ca().certificate());
    } else {
      var secret = TlsKeys.servingSecret(registry).flatMap(seen::secret).orElse(null);
      ca = SecretData.text(secret, TlsKeys.CA_CERT).or(() -> SecretData.text(secret, TlsKeys.TLS_CERT));
    }
    return ca.map(pem -> new RegistryTrust(true, pem, tls.extraHostnamesOrEmpty()));
  }

  /** Where the plan's CA comes from, for messages. */
  public static String source(Registry registry) {
    return "Secret " + TlsKeys.servingSecret(registry).orElse("?");
  }
}
