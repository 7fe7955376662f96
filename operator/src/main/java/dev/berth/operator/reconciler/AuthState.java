package dev.berth.operator.reconciler;

import dev.berth.operator.dependent.AuthSecretDependent;
import dev.berth.operator.dependent.UserPasswords;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * AuthReady, decided before anything is made: every Secret the auth section names must exist with its key, so a
 * missing password gives a clear condition instead of a server that refuses everyone.
 *
 * @param condition AuthReady, empty when auth is off
 * @param blocking true when a referenced Secret or key is missing
 */
public record AuthState(Optional<ConditionState> condition, boolean blocking) {

  static AuthState check(Registry registry, KubernetesClient client) {
    AuthSpec auth = registry.getSpec().authOrDefault();
    if (!auth.enabled()) {
      return new AuthState(Optional.empty(), false);
    }
    String namespace = registry.getMetadata().getNamespace();
    if (auth.getHtpasswdSecret() != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(auth.getHtpasswdSecret()).get();
      if (secret == null) {
        return blocked("SecretNotFound", "Secret " + auth.getHtpasswdSecret() + " (auth.htpasswdSecret) does not exist");
      }
      boolean hasKey = (secret.getData() != null && secret.getData().containsKey(AuthSecretDependent.HTPASSWD))
          || (secret.getStringData() != null && secret.getStringData().containsKey(AuthSecretDependent.HTPASSWD));
      if (!hasKey) {
        return blocked("KeyNotFound", "Secret " + auth.getHtpasswdSecret() + " has no key htpasswd");
      }
    }
    for (UserSpec user : auth.usersOrEmpty()) {
      if (UserPasswords.read(client, namespace, user).isEmpty()) {
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
