package dev.berth.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.berth.registry.tls.PemReader;
import dev.berth.registry.tls.TlsMaterialException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key tokens are signed and verified with: an EC P-256 key (ES256) or an RSA key of at least 2048 bits (RS256)
 * from the PEM file {@code auth.token.signingkey}, shared by all replicas, or an ephemeral P-256 key made at start.
 */
public final class TokenSigningKey {
  private static final Logger LOG = LoggerFactory.getLogger(TokenSigningKey.class);

  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;
  private final JWSVerifier verifier;
  private final String keyId;

  private TokenSigningKey(JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, String keyId) {
    this.algorithm = algorithm;
    this.signer = signer;
    this.verifier = verifier;
    this.keyId = keyId;
  }

  /**
   * Loads the PEM key; null or empty path means an ephemeral key.
   *
   * @throws IllegalArgumentException naming {@code auth.token.signingkey} when the file is missing or the key unusable
   */
  public static TokenSigningKey load(Path pem) {
    if (pem == null || pem.toString().isEmpty()) {
      LOG.info("auth.token.signingkey not set: signing tokens with an ephemeral key; tokens end with this process "
          + "and are not accepted by other replicas");
      return ephemeral();
    }
    byte[] content;
    try {
      content = Files.readAllBytes(pem);
    } catch (IOException e) {
      throw new IllegalArgumentException("auth.token.signingkey: cannot read " + pem + ": " + e.getMessage(), e);
    }
    try {
      return fromKeyPair(PemReader.of(content, "auth.token.signingkey " + pem).keyPair(), pem.toString());
    } catch (TlsMaterialException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public static TokenSigningKey ephemeral() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return fromKeyPair(generator.generateKeyPair(), "ephemeral key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a P-256 key", e);
    }
  }

  static TokenSigningKey fromKeyPair(KeyPair pair, String source) {
    try {
      if (pair.getPrivate() instanceof ECPrivateKey ecPrivate && pair.getPublic() instanceof ECPublicKey ecPublic) {
        Curve curve = Curve.forECParameterSpec(ecPublic.getParams());
        if (!Curve.P_256.equals(curve)) {
          throw new IllegalArgumentException("auth.token.signingkey " + source + ": EC keys must be on curve P-256 (ES256), not "
              + (curve == null ? "an unknown curve" : curve.getName()));
        }
        String keyId = new ECKey.Builder(curve, ecPublic).build().computeThumbprint().toString();
        return proven(new TokenSigningKey(JWSAlgorithm.ES256, new ECDSASigner(ecPrivate), new ECDSAVerifier(ecPublic), keyId),
            source);
      }
      if (pair.getPrivate() instanceof RSAPrivateKey rsaPrivate && pair.getPublic() instanceof RSAPublicKey rsaPublic) {
        if (rsaPublic.getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("auth.token.signingkey " + source + ": RSA keys need at least 2048 bits, this one has "
              + rsaPublic.getModulus().bitLength());
        }
        String keyId = new RSAKey.Builder(rsaPublic).build().computeThumbprint().toString();
        return proven(new TokenSigningKey(JWSAlgorithm.RS256, new RSASSASigner(rsaPrivate), new RSASSAVerifier(rsaPublic),
            keyId), source);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("auth.token.signingkey " + source + ": unusable key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("auth.token.signingkey " + source + ": need an EC P-256 or RSA private key, found "
        + pair.getPrivate().getAlgorithm());
  }

  /**
   * Signs and verifies one probe at start, so that the key is set up once, before the first request (the signature
   * provider is found and the key used once), and a private key that does not match its public half stops the start
   * instead of failing every token.
   */
  private static TokenSigningKey proven(TokenSigningKey key, String source) throws JOSEException {
    JWSObject probe = new JWSObject(new JWSHeader(key.algorithm), new Payload("berth signing key probe"));
    probe.sign(key.signer);
    if (!probe.verify(key.verifier)) {
      throw new IllegalArgumentException("auth.token.signingkey " + source
          + ": a probe signed with the private key does not verify with its public key");
    }
    return key;
  }

  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  JWSSigner signer() {
    return signer;
  }

  JWSVerifier verifier() {
    return verifier;
  }

  /** RFC 7638 thumbprint of the public key, sent as {@code kid}. */
  public String keyId() {
    return keyId;
  }
}
