package dev.berth.operator.reconciler;

import dev.berth.operator.dependent.CertificateAuthority;
import dev.berth.operator.dependent.RegistryNames;
import dev.berth.operator.dependent.TlsSecretDependent;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.TlsStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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

  static TlsState off() {
    return new TlsState(Optional.empty(), null, false, Optional.empty());
  }

  /** Before the workflow: mode Secret needs the user's Secret with a readable certificate and key. */
  static TlsState checkUserSecret(Registry registry, KubernetesClient client, Instant now) {
    TlsSpec tls = registry.getSpec().tlsOrDefault();
    if (tls.modeOrDefault() != TlsMode.Secret) {
      return off();
    }
    String name = tls.getSecretName();
    Secret secret = client.secrets().inNamespace(registry.getMetadata().getNamespace()).withName(name).get();
    if (secret == null) {
      return blocked("SecretNotFound", "Secret " + name + " (tls.secretName) does not exist in this namespace");
    }
    Optional<String> cert = text(secret, TlsSecretDependent.TLS_CERT);
    Optional<String> key = text(secret, TlsSecretDependent.TLS_KEY);
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
    TlsStatus status = new TlsStatus(text(secret, TlsSecretDependent.CA_CERT).isPresent() ? name : null,
        certificate.getNotAfter().toInstant().toString());
    if (certificate.getNotAfter().toInstant().isBefore(now)) {
      return new TlsState(Optional.of(ConditionState.isFalse(ConditionType.TLS_READY, "CertificateExpired",
          "the certificate in Secret " + name + " expired at " + status.getNotAfter())), status, false,
          Optional.empty());
    }
    return new TlsState(Optional.of(ConditionState.isTrue(ConditionType.TLS_READY, "SecretProvided",
        "serving the certificate of Secret " + name + ", valid until " + status.getNotAfter())), status, false,
        Optional.empty());
  }

  /** After the workflow: the operator's own certificate, as its Secret now holds it. */
  static TlsState selfSigned(Registry registry, Optional<Secret> servingSecret, Instant now) {
    RegistryNames names = RegistryNames.of(registry);
    Optional<X509Certificate> certificate = servingSecret
        .flatMap(s -> text(s, TlsSecretDependent.TLS_CERT))
        .map(CertificateAuthority::parseCertificate);
    if (certificate.isEmpty()) {
      return new TlsState(Optional.of(ConditionState.isFalse(ConditionType.TLS_READY, "CertificatePending",
          "the serving certificate Secret " + names.tlsSecret() + " is not there yet")), null, false,
          Optional.of(Duration.ofSeconds(5)));
    }
    Instant notAfter = certificate.get().getNotAfter().toInstant();
    Duration renewIn = Duration.between(now, notAfter.minus(CertificateAuthority.RENEW_BEFORE));
    return new TlsState(
        Optional.of(ConditionState.isTrue(ConditionType.TLS_READY, "SelfSigned",
            "certificate for " + String.join(", ", CertificateAuthority.subjectAlternativeNames(certificate.get()))
                + " valid until " + notAfter + "; trust ca.crt of Secret " + names.caSecret())),
        new TlsStatus(names.caSecret(), notAfter.toString()),
        false,
        Optional.of(renewIn.isNegative() ? Duration.ofSeconds(1) : renewIn));
  }

  private static TlsState blocked(String reason, String message) {
    return new TlsState(Optional.of(ConditionState.isFalse(ConditionType.TLS_READY, reason, message)), null, true,
        Optional.empty());
  }

  private static Optional<String> text(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII));
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }
}
