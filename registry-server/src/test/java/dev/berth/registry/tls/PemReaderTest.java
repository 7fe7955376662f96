package dev.berth.registry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.tls.TestCertificates.KeyFormat;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class PemReaderTest {
  private static KeyPair read(String pem) {
    return PemReader.of(pem.getBytes(StandardCharsets.US_ASCII), "test.key").keyPair();
  }

  @Test
  void readsKeysInEveryCommonFormWithTheirPublicHalf() {
    for (KeyPair pair : new KeyPair[] {TestCertificates.rsaKeyPair(2048), TestCertificates.ecKeyPair("secp256r1")}) {
      for (KeyFormat format : KeyFormat.values()) {
        KeyPair read = read(TestCertificates.pem(pair, format));
        // Compare the key itself: a SEC1 file also carries the public point, so the re-encoded bytes may differ.
        if (pair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec) {
          assertThat(((java.security.interfaces.ECPrivateKey) read.getPrivate()).getS()).as("EC " + format).isEqualTo(ec.getS());
        } else {
          assertThat(read.getPrivate().getEncoded()).as("RSA " + format).isEqualTo(pair.getPrivate().getEncoded());
        }
        assertThat(read.getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
      }
    }
  }

  @Test
  void derivesTheEcPublicKeyWhenASec1FileLeavesItOut() throws Exception {
    KeyPair pair = TestCertificates.ecKeyPair("secp256r1");
    java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), null,
        info.getPrivateKeyAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    assertThat(read(out.toString()).getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void refusesWhatIsNotExactlyOneKey() {
    String one = TestCertificates.pem(TestCertificates.ecKeyPair("secp256r1"), KeyFormat.PKCS8);
    assertThatThrownBy(() -> read(one + one)).isInstanceOf(TlsMaterialException.class).hasMessageContaining("more than one");
    assertThatThrownBy(() -> read("")).isInstanceOf(TlsMaterialException.class).hasMessageContaining("test.key");
    assertThatThrownBy(() -> read("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("test.key");
  }
}
