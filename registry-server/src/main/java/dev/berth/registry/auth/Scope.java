package dev.berth.registry.auth;

import java.util.Set;

/**
 * What a request needs, in the token protocol's terms: {@code repository:team-a/app:pull,push} or
 * {@code registry:catalog:*}. The {@code /v2/} base check uses {@link #BASE}: authenticated, nothing more.
 */
public record Scope(String type, String name, Set<String> actions) {
  public static final Scope BASE = new Scope("registry", "base", Set.of());

  public Scope {
    actions = Set.copyOf(actions);
  }

  public static Scope repository(String name, String... actions) {
    return new Scope("repository", name, Set.of(actions));
  }

  public static Scope catalog() {
    return new Scope("registry", "catalog", Set.of("*"));
  }

  /** The scope as it appears in a challenge: {@code repository:team-a/app:pull,push}. */
  public String toChallengeString() {
    return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
  }
}
