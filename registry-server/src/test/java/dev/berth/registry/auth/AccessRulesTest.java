package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.config.RegistryConfig.AccessRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  private final AccessRules rules = AccessRules.from(List.of(
      new AccessRule("alice", "team-a/*", List.of("pull", "push")),
      new AccessRule("alice", "team-a/prod-?", List.of("delete")),
      new AccessRule("*", "public/*", List.of("pull")),
      new AccessRule("admin", "*", List.of("*"))));

  @Test
  void anonymousGetsOnlyItsOwnRulesAndAnonymousPullIsTheRulePullEverything() {
    assertThat(rules.grantAnonymous(Scope.repository("public/base", "pull"))).as("\"*\" is signed-in users only").isEmpty();
    assertThat(rules.admitsAnonymous()).isFalse();
    AccessRules open = AccessRules.from(List.of(new AccessRule("admin", "*", List.of("*"))), true);
    assertThat(open.admitsAnonymous()).isTrue();
    assertThat(open.grantAnonymous(Scope.repository("any/repo", "pull", "push", "delete"))).containsExactly("pull");
    assertThat(open.grantAnonymous(Scope.catalog())).as("anonymous never lists the catalog").isEmpty();
    assertThat(open.grant("bob", Scope.repository("any/repo", "pull")))
        .as("the shorthand is a rule for anonymous: signed-in users still follow theirs").isEmpty();
    AccessRules publicOnly = AccessRules.from(List.of(new AccessRule("anonymous", "public/*", List.of("pull"))));
    assertThat(publicOnly.permitsAnonymous(Scope.repository("public/a/b", "pull"))).isTrue();
    assertThat(publicOnly.permitsAnonymous(Scope.repository("private/a", "pull"))).isFalse();
    assertThat(publicOnly.permitsAnonymous(Scope.BASE)).isFalse();
    assertThat(publicOnly.grant("anonymous", Scope.repository("x", "push")))
        .as("without rules for signed-in accounts they may do everything").containsExactly("push");
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("anonymous", "*", List.of("pull", "delete")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may only allow pull");
  }

  @Test
  void grantsTheUnionOfMatchingRulesAndNeverMoreThanAsked() {
    assertThat(rules.grant("alice", Scope.repository("team-a/app", "pull", "push", "delete"))).containsExactlyInAnyOrder("pull", "push");
    assertThat(rules.grant("alice", Scope.repository("team-a/prod-1", "pull", "delete"))).containsExactlyInAnyOrder("pull", "delete");
    assertThat(rules.grant("alice", Scope.repository("team-a/prod-12", "delete"))).as("? is one character").isEmpty();
    assertThat(rules.grant("alice", Scope.repository("team-a/deep/name", "pull"))).as("* crosses slashes").containsExactly("pull");
    assertThat(rules.grant("alice", Scope.repository("team-ab/app", "pull"))).isEmpty();
    assertThat(rules.grant("bob", Scope.repository("public/base", "pull", "push"))).containsExactly("pull");
    assertThat(rules.grant("bob", Scope.repository("team-a/app", "pull"))).isEmpty();
    assertThat(rules.grant("admin", Scope.repository("anything/at/all", "pull", "push", "delete"))).hasSize(3);
    assertThat(rules.grant("admin", Scope.repository("x", "pull"))).containsExactly("pull");
    assertThat(rules.grant("alice", new Scope("repository", "team-a/app", Set.of("frobnicate")))).isEmpty();
    assertThat(rules.grant("admin", new Scope("plugin", "x", Set.of("pull")))).isEmpty();
  }

  @Test
  void theCatalogNeedsPullOnEverything() {
    assertThat(rules.permits("admin", Scope.catalog())).isTrue();
    assertThat(rules.permits("alice", Scope.catalog())).isFalse();
    assertThat(AccessRules.from(List.of()).permits("anyone", Scope.catalog())).isTrue();
  }

  @Test
  void withoutRulesEverythingIsAllowed() {
    AccessRules none = AccessRules.from(null);
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.permits("bob", Scope.repository("x/y", "pull", "push", "delete"))).isTrue();
  }

  @Test
  void badRulesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("a", "x", List.of("write")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown action 'write'");
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("a", "Team/*", List.of("pull")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Team/*");
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("", "x", List.of("pull")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account");
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("a", "x", List.of()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no actions");
    assertThatThrownBy(() -> AccessRules.from(List.of(new AccessRule("a", null, List.of("pull")))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
