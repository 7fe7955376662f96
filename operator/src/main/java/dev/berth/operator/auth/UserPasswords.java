package dev.berth.operator.auth;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.UserSpec;
import java.util.Optional;

/** A user's password from the observed Secret key it names; never logged. */
public final class UserPasswords {
  private UserPasswords() {}

  public static Optional<String> read(Observation seen, UserSpec user) {
    SecretKeyRef ref = user.getPasswordSecret();
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      return Optional.empty();
    }
    return seen.secret(ref.getName()).flatMap(s -> SecretData.text(s, ref.getKey())).map(String::strip);
  }
}
