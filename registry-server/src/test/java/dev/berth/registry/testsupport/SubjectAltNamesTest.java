package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.tls.TestCertificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class SubjectAltNamesTest {
  @Test
  void keepsEachNamesType() {
    TestCertificates.Issued ca = TestCertificates.ca("san-test-ca");
    X509Certificate cert = TestCertificates.leaf(ca, "localhost", TestCertificates.ecKeyPair("secp256r1")).certificate();
    assertThat(SubjectAltNames.of(cert)).containsExactly("DNS:localhost", "IP:127.0.0.1");
    assertThat(SubjectAltNames.dns("localhost")).isSubsetOf(SubjectAltNames.of(cert));
    assertThat(SubjectAltNames.ip("127.0.0.1")).isSubsetOf(SubjectAltNames.of(cert));
  }

  @Test
  void anIpIssuedAsADnsNameIsNotAnIpAddressEntry() throws Exception {
    KeyPair keys = TestCertificates.ecKeyPair("secp256r1");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=wrong"), BigInteger.ONE,
        Date.from(Instant.parse("2026-01-01T00:00:00Z")), Date.from(Instant.parse("2027-01-01T00:00:00Z")),
        new X500Name("CN=wrong"), keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "127.0.0.1")));
    X509Certificate cert = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    assertThat(SubjectAltNames.of(cert)).containsExactly("DNS:127.0.0.1").doesNotContainAnyElementsOf(SubjectAltNames.ip("127.0.0.1"));
  }
}
