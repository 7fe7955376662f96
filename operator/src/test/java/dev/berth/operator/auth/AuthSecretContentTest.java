package dev.berth.operator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.Observations;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.UserSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSecretContentTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anUnchangedPasswordKeepsItsHashAndTheKeyStaysAChangedOneIsHashedAgain() {
    Registry registry = Observations.registry("team", spec());
    RegistryNames names = RegistryNames.of(registry);
    var users = Observations.secret("users", Map.of("alice", "correct horse"));
    Map<String, String> first = AuthSecretContent.plan(Observations.of(registry, NOW, users), names).orElseThrow();

    var stored = Observations.written(names.authSecret(), first);
    assertThat(AuthSecretContent.plan(Observations.of(registry, NOW, users, stored), names)).contains(first);

    Observation changed = Observations.of(registry, NOW, Observations.secret("users", Map.of("alice", "new")), stored);
    Map<String, String> next = AuthSecretContent.plan(changed, names).orElseThrow();
    assertThat(next.get(AuthKeys.TOKEN_KEY)).isEqualTo(first.get(AuthKeys.TOKEN_KEY));
    String hash = SecretData.text(Observations.written("x", next), AuthKeys.HTPASSWD).orElseThrow().strip()
        .substring("alice:".length());
    assertThat(BCrypt.verifyer().verify("new".toCharArray(), hash).verified).isTrue();
  }

  private static RegistrySpec spec() {
    RegistrySpec spec = new RegistrySpec();
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Token);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("users", "alice"));
    auth.setUsers(List.of(alice));
    spec.setAuth(auth);
    return spec;
  }
}
