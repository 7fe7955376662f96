package dev.berth.operator.dependent;

import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.UserSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads a user's password from the Secret key it names; never logs it. */
public final class UserPasswords {
  private UserPasswords() {}

  public static Optional<String> read(KubernetesClient client, String namespace, UserSpec user) {
    SecretKeyRef ref = user.getPasswordSecret();
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      return Optional.empty();
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().get(ref.getKey()) != null) {
      String value = new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
      return value.isEmpty() ? Optional.empty() : Optional.of(value.strip());
    }
    if (secret.getStringData() != null && secret.getStringData().get(ref.getKey()) != null) {
      return Optional.of(secret.getStringData().get(ref.getKey()).strip());
    }
    return Optional.empty();
  }
}
