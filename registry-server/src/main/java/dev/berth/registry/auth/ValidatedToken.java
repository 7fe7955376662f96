package dev.berth.registry.auth;

import java.util.List;

/** The subject and access of a bearer token whose signature, issuer, audience and lifetime checked out. */
public record ValidatedToken(String subject, List<Scope> access) {

  /**
   * Whether the token's access holds every action {@code required} names for exactly that type and name: a token
   * for {@code team-a/app} says nothing about {@code team-a/app2} or {@code team-b/app}.
   */
  public boolean covers(Scope required) {
    if (required.equals(Scope.BASE)) {
      return true;
    }
    java.util.Set<String> held = new java.util.HashSet<>();
    for (Scope scope : access) {
      if (scope.type().equals(required.type()) && scope.name().equals(required.name())) {
        held.addAll(scope.actions());
      }
    }
    return held.contains("*") || held.containsAll(required.actions());
  }
}
