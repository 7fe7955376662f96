package dev.berth.operator.reconciler;

import dev.berth.operator.auth.AuthState;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.spec.StorageSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.storage.DataClaims;
import dev.berth.operator.storage.S3StorageState;
import dev.berth.operator.tls.TlsState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validate step: the spec rules, then what the spec refers to (the existing claim, the S3 credentials and bucket,
 * the user's TLS Secret, the auth Secrets). The first failing gate blocks the reconcile: nothing is made, its conditions say why.
 */
final class Validator {
  private Validator() {}

  /**
   * The verdict.
   *
   * @param blocking the conditions of a blocked reconcile, Ready first; empty when the workflow may run
   * @param tls TLSReady as far as known before the workflow
   * @param auth AuthReady
   * @param s3 StorageReady of storage.s3 (empty for the other kinds, whose claims are looked at after applying)
   */
  record Verdict(List<ConditionState> blocking, TlsState tls, AuthState auth, Optional<ConditionState> s3) {
    Verdict(List<ConditionState> blocking, TlsState tls, AuthState auth) {
      this(blocking, tls, auth, Optional.empty());
    }

    boolean blocked() {
      return !blocking.isEmpty();
    }
  }

  static Verdict validate(Observation seen) {
    var spec = seen.registry().getSpec();
    List<String> problems = SpecRules.problems(spec, seen.statefulSet(), seen.existingClaim());
    AuthState noAuth = new AuthState(java.util.Optional.empty(), false);
    if (!problems.isEmpty()) {
      return new Verdict(List.of(
          ConditionState.isFalse(ConditionType.READY, "InvalidSpec", String.join("; ", problems)),
          ConditionState.unknown(ConditionType.STORAGE_READY, "InvalidSpec", "not checked: the spec is invalid")),
          TlsState.off(), noAuth);
    }
    StorageSpec storage = spec.storageOrDefault();
    if (storage.kind() == StorageSpec.StorageKind.EXISTING_CLAIM && seen.existingClaim().isEmpty()) {
      ConditionState claim = DataClaims.existingClaimState(storage.getExistingClaim(), seen.existingClaim());
      return new Verdict(List.of(
          ConditionState.isFalse(ConditionType.READY, "StorageNotReady", claim.message()), claim),
          TlsState.off(), noAuth);
    }
    Optional<ConditionState> s3 = Optional.empty();
    if (storage.kind() == StorageSpec.StorageKind.S3) {
      S3StorageState state = S3StorageState.check(seen);
      if (state.blocking()) {
        return new Verdict(List.of(
            ConditionState.isFalse(ConditionType.READY, "StorageNotReady",
                state.condition().message() + "; nothing is changed until it is"),
            state.condition()), TlsState.off(), noAuth);
      }
      s3 = Optional.of(state.condition());
    }
    TlsState tls = TlsState.checkUserSecret(seen);
    if (tls.blocking()) {
      ConditionState tlsState = tls.condition().orElseThrow();
      return new Verdict(List.of(
          ConditionState.isFalse(ConditionType.READY, "TLSNotReady", tlsState.message()),
          ConditionState.unknown(ConditionType.STORAGE_READY, "TLSNotReady",
              "not checked: nothing is made until the TLS Secret is usable"),
          tlsState), tls, noAuth);
    }
    AuthState auth = AuthState.check(seen);
    if (auth.blocking()) {
      ConditionState authState = auth.condition().orElseThrow();
      List<ConditionState> conditions = new ArrayList<>();
      conditions.add(ConditionState.isFalse(ConditionType.READY, "AuthNotReady", authState.message()));
      conditions.add(ConditionState.unknown(ConditionType.STORAGE_READY, "AuthNotReady",
          "not checked: nothing is made until the auth Secrets are there"));
      tls.condition().ifPresent(conditions::add);
      conditions.add(authState);
      return new Verdict(List.copyOf(conditions), tls, auth);
    }
    return new Verdict(List.of(), tls, auth, s3);
  }
}
