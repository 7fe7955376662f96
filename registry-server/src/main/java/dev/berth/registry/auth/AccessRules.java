package dev.berth.registry.auth;

import dev.berth.registry.config.RegistryConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each account may do ({@code auth.access}). Without rules an authenticated account may do everything. With
 * rules, an account gets the union of the actions of every rule naming it or {@code "*"} whose pattern matches the
 * repository; the catalog ({@code registry:catalog:*}) is granted to an account that may pull every repository
 * ({@code repository: "*"}), since listing names tells what exists.
 */
public final class AccessRules {
  public static final String PULL = "pull";
  public static final String PUSH = "push";
  public static final String DELETE = "delete";
  public static final Set<String> REPOSITORY_ACTIONS = Set.of(PULL, PUSH, DELETE);

  private record Rule(String account, RepositoryGlob repository, Set<String> actions) {
    boolean appliesTo(String user) {
      return account.equals("*") || account.equals(user);
    }
  }

  private final List<Rule> rules;

  private AccessRules(List<Rule> rules) {
    this.rules = rules;
  }

  /**
   * @throws IllegalArgumentException for a rule without account, with a bad pattern, or with an unknown action
   */
  public static AccessRules from(List<RegistryConfig.AccessRule> configured) {
    if (configured == null) {
      return new AccessRules(List.of());
    }
    List<Rule> rules = configured.stream().map(AccessRules::toRule).toList();
    return new AccessRules(rules);
  }

  private static Rule toRule(RegistryConfig.AccessRule rule) {
    if (rule.account() == null || rule.account().isBlank()) {
      throw new IllegalArgumentException("auth.access: every rule needs an account (a user name or \"*\")");
    }
    Set<String> actions = new LinkedHashSet<>();
    for (String action : rule.actions() == null ? List.<String>of() : rule.actions()) {
      if (action.equals("*")) {
        actions.addAll(REPOSITORY_ACTIONS);
      } else if (REPOSITORY_ACTIONS.contains(action)) {
        actions.add(action);
      } else {
        throw new IllegalArgumentException("auth.access: rule for account '" + rule.account() + "' has unknown action '"
            + action + "'; use pull, push or delete");
      }
    }
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("auth.access: rule for account '" + rule.account() + "' lists no actions");
    }
    return new Rule(rule.account(), RepositoryGlob.parse(rule.repository()), Set.copyOf(actions));
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * The part of {@code requested}'s actions that {@code user} may perform. Never more than was asked for; unknown
   * scope types and actions get nothing.
   */
  public Set<String> grant(String user, Scope requested) {
    Set<String> allowed;
    if (requested.type().equals("repository")) {
      allowed = repositoryActions(user, requested.name());
    } else if (requested.type().equals("registry") && requested.name().equals("catalog")) {
      allowed = catalogAllowed(user) ? Set.of("*") : Set.of();
    } else {
      return Set.of();
    }
    Set<String> granted = new LinkedHashSet<>(requested.actions());
    granted.retainAll(allowed);
    return Set.copyOf(granted);
  }

  /** What anonymous pull ({@code auth.anonymouspull}) opens: pulling a repository, nothing else (not the catalog). */
  public static boolean isRepositoryPullOnly(Scope scope) {
    return scope.type().equals("repository") && !scope.actions().isEmpty() && Set.of(PULL).containsAll(scope.actions());
  }

  /** Whether {@code user} holds every action {@code required} names. */
  public boolean permits(String user, Scope required) {
    return grant(user, required).containsAll(required.actions());
  }

  private Set<String> repositoryActions(String user, String repository) {
    if (rules.isEmpty()) {
      return REPOSITORY_ACTIONS;
    }
    Set<String> actions = new LinkedHashSet<>();
    for (Rule rule : rules) {
      if (rule.appliesTo(user) && rule.repository().matches(repository)) {
        actions.addAll(rule.actions());
      }
    }
    return actions;
  }

  private boolean catalogAllowed(String user) {
    if (rules.isEmpty()) {
      return true;
    }
    return rules.stream().anyMatch(rule -> rule.appliesTo(user) && rule.repository().matchesEverything()
        && rule.actions().contains(PULL));
  }
}
