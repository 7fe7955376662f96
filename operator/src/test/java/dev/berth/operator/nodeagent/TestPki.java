package dev.berth.operator.nodeagent;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and server certificate for tests, as the operator would make them. */
final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  record Issued(X509Certificate certificate, PrivateKey key) {
    String certificatePem() {
      return pem(certificate);
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), the form the operator's Secret carries. */
    String keyPem() {
      try {
        return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
      } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final KeyPair caKeys;
  private final X509Certificate ca;

  TestPki(String commonName) {
    try {
      caKeys = keyPair();
      var name = new X500Name("CN=" + commonName);
      org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
      ca = sign(builder, caKeys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String caPem() {
    return pem(ca);
  }

  /** A server certificate for the given DNS names and IP addresses. */
  Issued issueServer(List<String> dnsNames, List<String> ipAddresses) {
    try {
      KeyPair keys = keyPair();
      var names = new java.util.ArrayList<GeneralName>();
      dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      var utils = new JcaX509ExtensionUtils();
      org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), notBefore(), notAfter(),
          new X500Name("CN=" + (dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0))), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new Issued(sign(builder, caKeys.getPrivate()), keys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM);
  }

  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }

  private static String pem(Object object) {
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }
}
