package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void parsesTheTokenProtocolsScopes() {
    assertThat(Scope.parse("repository:team-a/app:pull,push")).isEqualTo(Scope.repository("team-a/app", "pull", "push"));
    assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
    assertThat(Scope.parse("repository:localhost:5000/app:pull")).isEqualTo(Scope.repository("localhost:5000/app", "pull"));
    assertThat(Scope.parse("repository:app:pull,,push ")).isEqualTo(Scope.repository("app", "pull", "push"));
    assertThat(Scope.repository("a", "push", "pull").toChallengeString()).isEqualTo("repository:a:pull,push");
  }

  @Test
  void refusesScopesWithoutThreeParts() {
    for (String bad : new String[] {"repository", "repository:app", ":app:pull", "repository::pull", null}) {
      assertThatThrownBy(() -> Scope.parse(bad)).as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected <type>:<name>:<actions>");
    }
  }
}
