package dev.berth.registry.auth;

import dev.berth.registry.config.RegistryConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each account may do ({@code auth.access}). Without rules for signed-in accounts an authenticated account may
 * do everything. With them, an account gets the union of the actions of every rule naming it or {@code "*"} whose
 * pattern matches the repository; the catalog ({@code registry:catalog:*}) is granted to an account that may pull
 * every repository ({@code repository: "*"}), since listing names tells what exists.
 *
 * <p>Requests without credentials are {@value #ANONYMOUS}: they get the rules naming {@code anonymous} (never
 * {@code "*"}, which means every signed-in account), may only pull, and never list the catalog. Without such rules
 * they get nothing. {@code auth.anonymouspull: true} is the rule "anonymous may pull {@code *}".
 */
public final class AccessRules {
  public static final String PULL = "pull";
  public static final String PUSH = "push";
  public static final String DELETE = "delete";
  public static final Set<String> REPOSITORY_ACTIONS = Set.of(PULL, PUSH, DELETE);
  /** The account name of requests without credentials in {@code auth.access}. */
  public static final String ANONYMOUS = "anonymous";

  private record Rule(String account, RepositoryGlob repository, Set<String> actions) {
    boolean forAnonymous() {
      return account.equals(ANONYMOUS);
    }

    /** A signed-in user, even one whose htpasswd name is "anonymous", never gets the rules for anonymous requests. */
    boolean appliesTo(String user) {
      return !forAnonymous() && (account.equals("*") || account.equals(user));
    }
  }

  private final List<Rule> rules;
  private final List<Rule> anonymousRules;

  private AccessRules(List<Rule> all) {
    this.rules = all.stream().filter(rule -> !rule.forAnonymous()).toList();
    this.anonymousRules = all.stream().filter(Rule::forAnonymous).toList();
  }

  /**
   * @throws IllegalArgumentException for a rule without account, with a bad pattern, or with an unknown action
   */
  public static AccessRules from(List<RegistryConfig.AccessRule> configured) {
    return from(configured, false);
  }

  /** As {@link #from(List)}, with {@code anonymousPull} adding the rule "anonymous may pull every repository". */
  public static AccessRules from(List<RegistryConfig.AccessRule> configured, boolean anonymousPull) {
    List<Rule> rules = new java.util.ArrayList<>();
    if (configured != null) {
      configured.stream().map(AccessRules::toRule).forEach(rules::add);
    }
    if (anonymousPull) {
      rules.add(new Rule(ANONYMOUS, RepositoryGlob.parse("*"), Set.of(PULL)));
    }
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
    if (rule.account().equals(ANONYMOUS) && !Set.of(PULL).containsAll(actions)) {
      throw new IllegalArgumentException("auth.access: a rule for account 'anonymous' may only allow pull, not "
          + String.join(",", actions));
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

  /** The part of {@code requested} a request without credentials may perform: pulls the anonymous rules allow. */
  public Set<String> grantAnonymous(Scope requested) {
    if (!requested.type().equals("repository") || !requested.actions().contains(PULL)) {
      return Set.of();
    }
    boolean allowed = anonymousRules.stream().anyMatch(rule -> rule.repository().matches(requested.name()));
    return allowed ? Set.of(PULL) : Set.of();
  }

  /** Whether a request without credentials may do everything {@code required} names (an empty scope: no). */
  public boolean permitsAnonymous(Scope required) {
    return !required.actions().isEmpty() && grantAnonymous(required).containsAll(required.actions());
  }

  /** Whether any rule lets requests without credentials in (so the token endpoint issues anonymous tokens). */
  public boolean admitsAnonymous() {
    return !anonymousRules.isEmpty();
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
