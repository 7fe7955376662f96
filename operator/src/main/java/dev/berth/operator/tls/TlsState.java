package dev.berth.operator.tls;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.TlsStatus;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * TLSReady and status.tls for a Registry, and when to look again so the operator's certificate is renewed in time.
 *
 * @param condition TLSReady, empty when TLS is off
 * @param status status.tls, null when TLS is off or nothing is known yet
 * @param blocking true when nothing should be made yet (the user's Secret is missing or unusable)
 * @param renewIn time until the operator's certificate should be renewed, if it makes one
 */
public record TlsState(
    Optional<ConditionState> condition, TlsStatus status, boolean blocking, Optional<Duration> renewIn) {

  public static TlsState off() {
    return new TlsState(Optional.empty(), null, false, Optional.empty());
  }

  /** Before anything is made: mode Secret needs the user's Secret with a readable certificate and key. */
  public static TlsState checkUserSecret(Observation seen) {
    Registry registry = seen.registry();
    if (registry.getSpec().tlsOrDefault().modeOrDefault() != TlsMode.Secret) {
      return off();
    }
    String name = registry.getSpec().tlsOrDefault().getSecretName();
    Optional<Secret> found = seen.secret(name);
    if (found.isEmpty()) {
      return blocked("SecretNotFound", "Secret " + name + " (tls.secretName) does not exist in this namespace");
    }
    Secret secret = found.get();
    Optional<String> cert = SecretData.text(secret, TlsKeys.TLS_CERT);
    Optional<String> key = SecretData.text(secret, TlsKeys.TLS_KEY);
    if (cert.isEmpty() || key.isEmpty()) {
      return blocked("SecretInvalid", "Secret " + name + " needs the keys tls.crt and tls.key");
    }
    X509Certificate certificate;
    try {
      certificate = CertificateAuthority.parseCertificate(cert.get());
      CertificateAuthority.parsePrivateKey(key.get());
    } catch (IllegalArgumentException e) {
      return blocked("SecretInvalid", "Secret " + name + ": " + e.getMessage());
    }
    TlsStatus status = new TlsStatus(SecretData.text(secret, TlsKeys.CA_CERT).isPresent() ? name : null,
        certificate.getNotAfter().toInstant().toString());
    if (certificate.getNotAfter().toInstant().isBefore(seen.now())) {
      return new TlsState(Optional.of(ConditionState.isFalse(ConditionType.TLS_READY, "CertificateExpired",
          "the certificate in Secret " + name + " expired at " + status.getNotAfter())), status, false,
          Optional.empty());
    }
    return new TlsState(Optional.of(ConditionState.isTrue(ConditionType.TLS_READY, "SecretProvided",
        "serving the certificate of Secret " + name + ", valid until " + status.getNotAfter())), status, false,
        Optional.empty());
  }

  /** The operator's own certificate, as this reconcile planned and wrote it. */
  public static TlsState selfSigned(RegistryNames names, SelfSignedCertificates certificates, Instant now) {
    X509Certificate certificate = certificates.servingCertificate();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Duration renewIn = Duration.between(now, notAfter.minus(CertificateAuthority.RENEW_BEFORE));
    return new TlsState(
        Optional.of(ConditionState.isTrue(ConditionType.TLS_READY, "SelfSigned",
            "certificate for " + String.join(", ", CertificateAuthority.subjectAlternativeNames(certificate))
                + " valid until " + notAfter + "; trust ca.crt of Secret " + names.caSecret())),
        new TlsStatus(names.caSecret(), notAfter.toString()),
        false,
        Optional.of(renewIn.isNegative() ? Duration.ofSeconds(1) : renewIn));
  }

  private static TlsState blocked(String reason, String message) {
    return new TlsState(Optional.of(ConditionState.isFalse(ConditionType.TLS_READY, reason, message)), null, true,
        Optional.empty());
  }
}
