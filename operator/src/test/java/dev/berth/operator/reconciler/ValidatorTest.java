package dev.berth.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.observe.Observations;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.status.ConditionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validate step on hand-made observations: each gate, in order, and the way through. */
class ValidatorTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aValidSpecWithNothingReferencedPasses() {
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("ok", new RegistrySpec()), NOW));
    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.tls().condition()).isEmpty();
  }

  @Test
  void aSpecRuleBlocksFirst() {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(-1);
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("bad", spec), NOW));
    assertThat(verdict.blocking()).extracting(ConditionState::reason).containsExactly("InvalidSpec", "InvalidSpec");
    assertThat(verdict.blocking().get(0).message()).contains("replicas must not be negative");
  }

  @Test
  void aMissingTlsSecretBlocksUntilItIsObserved() {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.Secret);
    tls.setSecretName("byo-cert");
    spec.setTls(tls);
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("byo", spec), NOW));
    assertThat(verdict.blocking()).extracting(ConditionState::reason)
        .containsExactly("TLSNotReady", "TLSNotReady", "SecretNotFound");
  }

  @Test
  void aMissingPasswordBlocksAndAnObservedOnePasses() {
    RegistrySpec spec = new RegistrySpec();
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Htpasswd);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("users", "alice"));
    auth.setUsers(List.of(alice));
    spec.setAuth(auth);
    var registry = Observations.registry("team", spec);
    assertThat(Validator.validate(Observations.of(registry, NOW)).blocking()).extracting(ConditionState::reason)
        .containsExactly("AuthNotReady", "AuthNotReady", "PasswordNotFound");
    Validator.Verdict verdict = Validator.validate(
        Observations.of(registry, NOW, Observations.secret("users", Map.of("alice", "s3cret"))));
    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.auth().condition()).map(ConditionState::isTrue).contains(true);
  }
}
