package dev.berth.registry.auth;

import java.time.Instant;
import java.util.List;

/** A signed token and what it grants, as the token endpoint hands it out. */
public record IssuedToken(String token, Instant issuedAt, long expiresInSeconds, List<Scope> access) {
  @Override
  public String toString() {
    return "IssuedToken[issuedAt=" + issuedAt + ", expiresIn=" + expiresInSeconds + ", access=" + access + "]";
  }
}
