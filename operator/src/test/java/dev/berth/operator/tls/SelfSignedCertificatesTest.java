package dev.berth.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.Observations;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelfSignedCertificatesTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final Registry registry = Observations.registry("main", spec(List.of()));
  final RegistryNames names = RegistryNames.of(registry);

  @Test
  void keepsWhatIsStoredUntilTheRenewalWindowThenRenewsFromTheSameCa() {
    SelfSignedCertificates first = SelfSignedCertificates.decide(Observations.of(registry, T0), names);
    Observation stored = Observations.of(registry, T0.plus(CertificateAuthority.RENEW_BEFORE), stored(first));
    assertThat(SelfSignedCertificates.decide(stored, names)).isEqualTo(first);

    Instant due = T0.plus(CertificateAuthority.SERVING_VALIDITY).minus(CertificateAuthority.RENEW_BEFORE)
        .plusSeconds(60);
    SelfSignedCertificates renewed = SelfSignedCertificates.decide(Observations.of(registry, due, stored(first)), names);
    assertThat(renewed.ca()).isEqualTo(first.ca());
    assertThat(renewed.serving()).isNotEqualTo(first.serving());
    assertThat(renewed.servingCertificate().getNotBefore().toInstant()).isBefore(due);
    assertThat(renewed.servingCertificate().getNotAfter().toInstant())
        .isEqualTo(due.plus(CertificateAuthority.SERVING_VALIDITY));
  }

  @Test
  void aNewHostNameGetsANewCertificate() {
    SelfSignedCertificates first = SelfSignedCertificates.decide(Observations.of(registry, T0), names);
    Registry wider = Observations.registry("main", spec(List.of("registry.example.com")));
    SelfSignedCertificates next = SelfSignedCertificates.decide(Observations.of(wider, T0, stored(first)), names);
    assertThat(next.ca()).isEqualTo(first.ca());
    assertThat(CertificateAuthority.subjectAlternativeNames(next.servingCertificate()))
        .contains("registry.example.com", "main.registry.svc.cluster.local", "localhost", "127.0.0.1");
  }

  private Secret[] stored(SelfSignedCertificates certificates) {
    return new Secret[] {
      Observations.secret(names.caSecret(), Map.of(TlsKeys.CA_CERT, certificates.ca().certificate(),
          TlsKeys.CA_KEY, certificates.ca().privateKey())),
      Observations.secret(names.tlsSecret(), Map.of(TlsKeys.TLS_CERT, certificates.serving().certificate(),
          TlsKeys.TLS_KEY, certificates.serving().privateKey(), TlsKeys.CA_CERT, certificates.ca().certificate()))
    };
  }

  private static RegistrySpec spec(List<String> extraHostnames) {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.SelfSigned);
    tls.setExtraHostnames(extraHostnames);
    spec.setTls(tls);
    return spec;
  }
}
