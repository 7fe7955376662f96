package dev.berth.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Checks a bearer token: our signature and algorithm, issuer, audience (the service), expiry and not-before. */
public final class TokenValidator {
  /** Replicas' clocks differ a little; a token just issued elsewhere must not be "not yet valid" here. */
  static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(30);

  private final TokenSigningKey key;
  private final String issuer;
  private final String service;
  private final Clock clock;

  public TokenValidator(TokenSigningKey key, String issuer, String service, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.service = service;
    this.clock = clock;
  }

  public ValidatedToken validate(String token) throws InvalidTokenException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a signed JWT");
    }
    if (!key.algorithm().equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidTokenException("token algorithm " + jwt.getHeader().getAlgorithm() + " is not " + key.algorithm());
    }
    try {
      if (!jwt.verify(key.verifier())) {
        throw new InvalidTokenException("token signature does not verify");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("token signature does not verify");
    }
    Instant now = clock.instant();
    Date expiration = claims.getExpirationTime();
    if (expiration == null || !now.isBefore(expiration.toInstant())) {
      throw new InvalidTokenException("token has expired");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(NOT_BEFORE_LEEWAY).isBefore(notBefore.toInstant())) {
      throw new InvalidTokenException("token is not valid yet");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new InvalidTokenException("token was issued by another issuer");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(service)) {
      throw new InvalidTokenException("token is for another service");
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    return new ValidatedToken(subject, AccessClaim.fromClaim(claims.getClaim("access")));
  }
}
