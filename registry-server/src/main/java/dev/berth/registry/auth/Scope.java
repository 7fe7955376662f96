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

  /**
   * Parses a scope as clients send it to the token endpoint: {@code type:name:actions}. The name may itself contain
   * colons (a registry host with a port), so the type ends at the first colon and the actions start after the last.
   *
   * @throws IllegalArgumentException when the text does not have the three parts
   */
  public static Scope parse(String text) {
    int first = text == null ? -1 : text.indexOf(':');
    int last = text == null ? -1 : text.lastIndexOf(':');
    if (first <= 0 || last == first || last == first + 1) {
      throw new IllegalArgumentException("invalid scope '" + text + "': expected <type>:<name>:<actions>");
    }
    Set<String> actions = new java.util.LinkedHashSet<>();
    for (String action : text.substring(last + 1).split(",")) {
      if (!action.isBlank()) {
        actions.add(action.trim());
      }
    }
    return new Scope(text.substring(0, first), text.substring(first + 1, last), actions);
  }

  /** The scope as it appears in a challenge: {@code repository:team-a/app:pull,push}. */
  public String toChallengeString() {
    return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
  }
}
