package dev.berth.operator.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** X.509 through BouncyCastle: an ECDSA P-256 CA and the serving certificates it signs, as PEM. */
public final class CertificateAuthority {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration SERVING_VALIDITY = Duration.ofDays(90);
  /** Certificates are replaced this long before they expire. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate and its private key, both PEM. */
  public record PemPair(String certificate, String privateKey) {}

  private CertificateAuthority() {}

  public static PemPair newCa(String commonName, Instant now) {
    try {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + commonName);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new PemPair(pem(sign(builder, keys.getPrivate())), pkcs8(keys.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not make a CA certificate", e);
    }
  }

  /** A serving certificate for {@code names} (DNS names and IP literals), signed by the CA. */
  public static PemPair issue(PemPair ca, String commonName, Set<String> names, Instant now) {
    try {
      X509Certificate caCert = parseCertificate(ca.certificate());
      PrivateKey caKey = parsePrivateKey(ca.privateKey());
      KeyPair keys = keyPair();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(SERVING_VALIDITY)),
          new X500Name("CN=" + commonName), keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<GeneralName> sans = new ArrayList<>();
      for (String name : new TreeSet<>(names)) {
        sans.add(new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
      }
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      return new PemPair(pem(sign(builder, caKey)), pkcs8(keys.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not issue a serving certificate", e);
    }
  }

  public static X509Certificate parseCertificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  public static PrivateKey parsePrivateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object parsed = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IllegalArgumentException("not a PEM private key");
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
  }

  /** A fresh ECDSA P-256 private key, PKCS#8 PEM (the registry's token signing key). */
  public static String newPrivateKey() {
    try {
      return pkcs8(keyPair().getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make a key", e);
    }
  }

  /** The DNS names and IP addresses a certificate is valid for. */
  public static Set<String> subjectAlternativeNames(X509Certificate certificate) {
    Set<String> names = new TreeSet<>();
    try {
      if (certificate.getSubjectAlternativeNames() != null) {
        certificate.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
    }
    return names;
  }

  /** True when the certificate was signed by the CA's key. */
  public static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public static boolean needsRenewal(X509Certificate certificate, Instant now) {
    return certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE));
  }

  static boolean isIpLiteral(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** PKCS#8 ("BEGIN PRIVATE KEY"), the form every TLS stack reads. */
  private static String pkcs8(PrivateKey key) {
    try {
      return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
