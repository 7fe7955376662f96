package dev.berth.operator.tls;

import dev.berth.registry.testsupport.SubjectAltNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.operator.tls.CertificateAuthority.PemPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void issuesServingCertificatesForNamesAndAddresses() {
    PemPair ca = CertificateAuthority.newCa("test CA", NOW);
    PemPair serving = CertificateAuthority.issue(ca, "main.registry.svc.cluster.local",
        Set.of("main.registry.svc", "localhost", "127.0.0.1", "10.96.0.12"), NOW);
    X509Certificate caCert = CertificateAuthority.parseCertificate(ca.certificate());
    X509Certificate cert = CertificateAuthority.parseCertificate(serving.certificate());

    assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(CertificateAuthority.signedBy(cert, caCert)).isTrue();
    // Typed: an IP issued as a DNS name would not pass (clients refuse such a certificate for that IP).
    assertThat(SubjectAltNames.of(cert))
        .containsExactlyInAnyOrder("DNS:main.registry.svc", "DNS:localhost", "IP:127.0.0.1", "IP:10.96.0.12");
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(CertificateAuthority.SERVING_VALIDITY));
    assertThat(serving.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(CertificateAuthority.parsePrivateKey(serving.privateKey()).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void renewalIsDueThirtyDaysBeforeExpiry() {
    PemPair ca = CertificateAuthority.newCa("test CA", NOW);
    X509Certificate cert = CertificateAuthority.parseCertificate(
        CertificateAuthority.issue(ca, "x", Set.of("x"), NOW).certificate());
    assertThat(CertificateAuthority.needsRenewal(cert, NOW.plus(Duration.ofDays(59)))).isFalse();
    assertThat(CertificateAuthority.needsRenewal(cert, NOW.plus(Duration.ofDays(61)))).isTrue();
  }

  @Test
  void anotherCaDidNotSign() {
    PemPair ca = CertificateAuthority.newCa("one", NOW);
    PemPair other = CertificateAuthority.newCa("other", NOW);
    X509Certificate cert = CertificateAuthority.parseCertificate(
        CertificateAuthority.issue(ca, "x", Set.of("x"), NOW).certificate());
    assertThat(CertificateAuthority.signedBy(cert, CertificateAuthority.parseCertificate(other.certificate())))
        .isFalse();
  }

  @Test
  void garbageIsRefusedClearly() {
    assertThatThrownBy(() -> CertificateAuthority.parseCertificate("hello"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM certificate");
    assertThatThrownBy(() -> CertificateAuthority.parsePrivateKey("hello"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM private key");
  }
}
