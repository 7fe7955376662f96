package dev.berth.registry.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made with BouncyCastle: a CA and leaf certificates it signs, written as PEM in several forms. */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key and its certificate. */
  public record Issued(KeyPair keyPair, X509Certificate certificate) {}

  /** How a private key is written: PKCS#8 ("PRIVATE KEY") or the traditional PKCS#1/SEC1 forms. */
  public enum KeyFormat { PKCS8, TRADITIONAL }

  private TestCertificates() {}

  public static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Issued ca(String name) {
    KeyPair keyPair = ecKeyPair("secp256r1");
    return new Issued(keyPair, sign(name, keyPair, name, keyPair.getPrivate(), true));
  }

  /** A serving certificate for localhost/127.0.0.1 signed by {@code ca}. */
  public static Issued leaf(Issued ca, String name, KeyPair keyPair) {
    String caName = ca.certificate().getSubjectX500Principal().getName();
    return new Issued(keyPair, sign(name, keyPair, caName, ca.keyPair().getPrivate(), false));
  }

  private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey, boolean isCa) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name(issuer.startsWith("CN=") ? issuer : "CN=" + issuer),
          new BigInteger(64, RANDOM).add(BigInteger.ONE),
          Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(Duration.ofDays(1))),
          new X500Name("CN=" + subject),
          subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      }
      String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(X509Certificate... certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /**
   * PKCS#8 as the JDK encodes it (no public key inside), or the traditional form: PKCS#1 for RSA, full SEC1 (curve and
   * public key included, as openssl writes it) for EC.
   */
  public static String pem(KeyPair keyPair, KeyFormat format) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      PrivateKey key = keyPair.getPrivate();
      if (format == KeyFormat.PKCS8) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
      } else if (key instanceof java.security.interfaces.ECPrivateKey ec) {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] publicPoint = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
            .getInstance(keyPair.getPublic().getEncoded()).getPublicKeyData().getBytes();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
            ec.getParams().getOrder().bitLength(), ec.getS(), new org.bouncycastle.asn1.DERBitString(publicPoint),
            info.getPrivateKeyAlgorithm().getParameters());
        writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
      } else {
        writer.writeObject(new JcaMiscPEMGenerator(key));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  public static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
