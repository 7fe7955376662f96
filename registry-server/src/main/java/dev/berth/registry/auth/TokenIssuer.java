package dev.berth.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Signs short-lived JWTs in the Docker registry token format. */
public final class TokenIssuer {
  private final TokenSigningKey key;
  private final String issuer;
  private final String service;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TokenIssuer(TokenSigningKey key, String issuer, String service, Duration lifetime, Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("auth.token.expiration must be a positive number of seconds");
    }
    this.key = key;
    this.issuer = issuer;
    this.service = service;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public IssuedToken issue(String subject, List<Scope> access) {
    // JWT times are whole seconds; truncate so that issued_at and the claims agree. The expiry is rounded up from
    // the exact instant instead: computed from the truncated one, a token would die up to a second before expires_in
    // says, and a one-second token could be refused on first use.
    Instant exact = clock.instant();
    Instant now = Instant.ofEpochSecond(exact.getEpochSecond());
    Instant exactExpiry = exact.plus(lifetime);
    Instant expires = Instant.ofEpochSecond(exactExpiry.getEpochSecond() + (exactExpiry.getNano() > 0 ? 1 : 0));
    byte[] id = new byte[16];
    random.nextBytes(id);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(service)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
        .claim("access", AccessClaim.toClaim(access))
        .build();
    JWSHeader header = new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.keyId()).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("token signing failed: " + e.getMessage(), e);
    }
    return new IssuedToken(jwt.serialize(), now, lifetime.toSeconds(), List.copyOf(access));
  }
}
