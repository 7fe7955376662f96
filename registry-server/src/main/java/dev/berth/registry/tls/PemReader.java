package dev.berth.registry.tls;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates and private keys in the forms Kubernetes tooling writes: PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 ({@code RSA PRIVATE KEY}, cert-manager's default) and SEC1 ({@code EC PRIVATE KEY}). Parsing goes through
 * BouncyCastle's PEM parser; the keys come out as plain JDK keys, so no security provider is installed.
 */
public final class PemReader {
  private final String text;
  private final String source;

  private PemReader(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** {@code source} names the PEM in error messages (a file path or a config key). */
  public static PemReader of(byte[] pem, String source) {
    return new PemReader(new String(pem, StandardCharsets.US_ASCII), source);
  }

  /** Every certificate in the PEM, in file order (leaf first for a chain). */
  public List<X509Certificate> certificates() {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object object : objects()) {
      if (object instanceof X509CertificateHolder holder) {
        try {
          certificates.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new TlsMaterialException(source + ": unreadable certificate: " + e.getMessage(), e);
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsMaterialException(source + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    return List.copyOf(certificates);
  }

  /** The single private key in the PEM, with its public half (derived when the file does not carry it). */
  public KeyPair keyPair() {
    KeyPair found = null;
    for (Object object : objects()) {
      KeyPair pair = toKeyPair(object);
      if (pair != null) {
        if (found != null) {
          throw new TlsMaterialException(source + ": more than one private key");
        }
        found = pair;
      }
    }
    if (found == null) {
      throw new TlsMaterialException(source + ": no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found");
    }
    return found;
  }

  public PrivateKey privateKey() {
    return keyPair().getPrivate();
  }

  private List<Object> objects() {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      // A PEM file holds a handful of objects; the bound only guards against a pathological input.
      for (int i = 0; i < 1000; i++) {
        Object object = parser.readObject();
        if (object == null) {
          return objects;
        }
        objects.add(object);
      }
      throw new TlsMaterialException(source + ": too many PEM objects");
    } catch (IOException | RuntimeException e) {
      if (e instanceof TlsMaterialException tme) {
        throw tme;
      }
      // BouncyCastle's messages describe structure, never key bytes.
      throw new TlsMaterialException(source + ": not valid PEM: " + e.getMessage(), e);
    }
  }

  private KeyPair toKeyPair(Object object) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new TlsMaterialException(source + ": encrypted private keys are not supported; store the key unencrypted in a Secret");
      }
      if (object instanceof PEMKeyPair pemKeyPair) {
        if (pemKeyPair.getPublicKeyInfo() == null) {
          return withDerivedPublicKey(pemKeyPair.getPrivateKeyInfo(), converter);
        }
        return converter.getKeyPair(pemKeyPair);
      }
      if (object instanceof PrivateKeyInfo info) {
        return withDerivedPublicKey(info, converter);
      }
      return null;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new TlsMaterialException(source + ": unusable private key: " + e.getMessage(), e);
    }
  }

  /** PKCS#8 files carry only the private half; the public one is computed from it (RSA CRT fields, EC d*G). */
  private KeyPair withDerivedPublicKey(PrivateKeyInfo info, JcaPEMKeyConverter converter)
      throws IOException, java.security.GeneralSecurityException {
    PrivateKey privateKey = converter.getPrivateKey(info);
    ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (privateKey instanceof RSAPrivateCrtKey rsa) {
      PublicKey publicKey = KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      return new KeyPair(publicKey, privateKey);
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
      AlgorithmIdentifier algorithmId = info.getPrivateKeyAlgorithm();
      byte[] publicPoint;
      if (ec.getPublicKey() != null) {
        publicPoint = ec.getPublicKey().getOctets();
      } else {
        ASN1ObjectIdentifier curveOid = ASN1ObjectIdentifier.getInstance(algorithmId.getParameters());
        X9ECParameters curve = ECNamedCurveTable.getByOID(curveOid);
        if (curve == null) {
          throw new TlsMaterialException(source + ": unsupported EC curve " + curveOid);
        }
        BigInteger d = ec.getKey();
        publicPoint = new FixedPointCombMultiplier().multiply(curve.getG(), d).getEncoded(false);
      }
      PublicKey publicKey = converter.getPublicKey(new SubjectPublicKeyInfo(algorithmId, publicPoint));
      return new KeyPair(publicKey, privateKey);
    }
    // Ed25519 and friends: the converter can give the private key; public derivation is not needed for TLS.
    return new KeyPair(null, privateKey);
  }
}
