package dev.berth.operator.storage;

import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.S3Storage;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The access key pair of spec.storage.s3.credentialsSecret, as the operator reads it for its bucket check. The pods
 * get the same values as environment variables from the Secret, never from the operator.
 *
 * @param accessKey the key id
 * @param secretKey the secret
 */
public record S3Credentials(String accessKey, String secretKey) {

  /** Both keys of the Secret, or empty when the Secret or either key is missing or blank. */
  public static Optional<S3Credentials> read(Optional<Secret> secret) {
    Optional<String> access = secret.flatMap(s -> SecretData.text(s, S3Storage.ACCESS_KEY));
    Optional<String> secretKey = secret.flatMap(s -> SecretData.text(s, S3Storage.SECRET_KEY));
    if (access.isEmpty() || secretKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new S3Credentials(access.get().strip(), secretKey.get().strip()));
  }

  /** Never the secret in logs or messages. */
  @Override
  public String toString() {
    return "S3Credentials[accessKey=" + accessKey + "]";
  }
}
