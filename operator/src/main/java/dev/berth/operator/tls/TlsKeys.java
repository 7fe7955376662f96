package dev.berth.operator.tls;

import dev.berth.operator.observe.SecretData;
import dev.berth.operator.tls.CertificateAuthority.PemPair;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** The keys of the TLS Secrets (kubernetes.io/tls and the operator's CA) and where the server finds them. */
public final class TlsKeys {
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  /** The serving Secret's mount in the registry pod (a directory, so the kubelet's updates reach the server). */
  public static final String MOUNT_DIR = "/etc/berth/tls";

  private TlsKeys() {}

  /** The one decision of which Secret holds the serving certificate: the operator's, the user's, or none. */
  public static Optional<String> servingSecret(Registry registry) {
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    return switch (tls.modeOrDefault()) {
      case Disabled -> Optional.empty();
      case SelfSigned -> Optional.of(RegistryNames.of(registry).tlsSecret());
      case Secret -> Optional.ofNullable(tls.getSecretName()).filter(name -> !name.isBlank());
    };
  }

  /** The certificate and key under these keys, when both are there and readable. */
  public static Optional<PemPair> pair(Secret secret, String certKey, String keyKey) {
    Optional<String> cert = SecretData.text(secret, certKey);
    Optional<String> key = SecretData.text(secret, keyKey);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      CertificateAuthority.parseCertificate(cert.get());
      CertificateAuthority.parsePrivateKey(key.get());
      return Optional.of(new PemPair(cert.get(), key.get()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
