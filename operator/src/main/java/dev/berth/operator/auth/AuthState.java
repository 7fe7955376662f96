package dev.berth.operator.auth;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * AuthReady, decided before anything is made: every Secret the auth section names must exist with its key, so a
 * missing password gives a clear condition instead of a server that refuses everyone.
 *
 * @param condition AuthReady, empty when auth is off
 * @param blocking true when a referenced Secret or key is missing
 */
public record AuthState(Optional<ConditionState> condition, boolean blocking) {

  public static AuthState check(Observation seen) {
    AuthSpec auth = seen.registry().getSpec().authOrDefault();
    if (!auth.enabled()) {
      return new AuthState(Optional.empty(), false);
    }
    if (auth.getHtpasswdSecret() != null) {
      Optional<Secret> secret = seen.secret(auth.getHtpasswdSecret());
      if (secret.isEmpty()) {
        return blocked("SecretNotFound", "Secret " + auth.getHtpasswdSecret() + " (auth.htpasswdSecret) does not exist");
      }
      if (!SecretData.has(secret.get(), AuthKeys.HTPASSWD)) {
        return blocked("KeyNotFound", "Secret " + auth.getHtpasswdSecret() + " has no key htpasswd");
      }
    }
    for (UserSpec user : auth.usersOrEmpty()) {
      if (UserPasswords.read(seen, user).isEmpty()) {
        var ref = user.getPasswordSecret();
        return blocked("PasswordNotFound", "password of user " + user.getName() + ": Secret "
            + (ref == null ? "?" : ref.getName()) + " key " + (ref == null ? "?" : ref.getKey())
            + " is missing or empty");
      }
    }
    String who = auth.getHtpasswdSecret() != null
        ? "users of Secret " + auth.getHtpasswdSecret()
        : auth.usersOrEmpty().size() + " user(s)";
    return new AuthState(Optional.of(ConditionState.isTrue(ConditionType.AUTH_READY, auth.modeOrDefault().name(),
        auth.modeOrDefault() + " authentication for " + who
            + (auth.anonymousPullOrDefault() ? "; anonymous pulls allowed" : ""))), false);
  }

  private static AuthState blocked(String reason, String message) {
    return new AuthState(Optional.of(ConditionState.isFalse(ConditionType.AUTH_READY, reason, message)), true);
  }
}
