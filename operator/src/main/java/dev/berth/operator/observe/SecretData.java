package dev.berth.operator.observe;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The one place a Secret's values are decoded: {@code data} is base64 (MIME-tolerant), {@code stringData} plain. */
public final class SecretData {
  private SecretData() {}

  /** The value of {@code key}, decoded; empty when the Secret or the key is missing, blank or not base64. */
  public static Optional<String> text(Secret secret, String key) {
    if (secret == null) {
      return Optional.empty();
    }
    String value = null;
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        value = new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    } else if (secret.getStringData() != null) {
      value = secret.getStringData().get(key);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Whether the Secret carries {@code key} at all (even empty). */
  public static boolean has(Secret secret, String key) {
    return secret != null && ((secret.getData() != null && secret.getData().containsKey(key))
        || (secret.getStringData() != null && secret.getStringData().containsKey(key)));
  }

  /** Base64 for a Secret's {@code data}. */
  public static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
