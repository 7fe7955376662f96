package dev.berth.operator.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.names.RegistryNames;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The data of the Secret {@code <name>-auth}: the htpasswd file rendered from spec.auth.users (bcrypt, as
 * {@code htpasswd -B} writes it) and, for mode Token, the token signing key all replicas share. A user's existing
 * hash is kept while it still matches the password, and the key while it is readable, so an unchanged spec never
 * rewrites the Secret.
 */
public final class AuthSecretContent {
  static final int BCRYPT_COST = 10;

  private AuthSecretContent() {}

  /** The Secret's data (base64 values), or empty when the operator keeps no auth Secret. */
  public static Optional<Map<String, String>> plan(Observation seen, RegistryNames names) {
    AuthSpec auth = seen.registry().getSpec().authOrDefault();
    if (!AuthKeys.operatorSecretWanted(auth)) {
      return Optional.empty();
    }
    Optional<Secret> current = seen.secret(names.authSecret());
    Map<String, String> data = new LinkedHashMap<>();
    if (!auth.usersOrEmpty().isEmpty()) {
      Map<String, String> oldHashes = current.flatMap(s -> SecretData.text(s, AuthKeys.HTPASSWD))
          .map(AuthSecretContent::hashes)
          .orElse(Map.of());
      StringBuilder htpasswd = new StringBuilder();
      for (UserSpec user : auth.usersOrEmpty()) {
        String password = UserPasswords.read(seen, user)
            .orElseThrow(() -> new IllegalStateException("password of user " + user.getName() + " is missing"));
        String old = oldHashes.get(user.getName());
        String hash = old != null && BCrypt.verifyer().verify(password.toCharArray(), old).verified
            ? old
            : BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(BCRYPT_COST, password.toCharArray());
        htpasswd.append(user.getName()).append(':').append(hash).append('\n');
      }
      data.put(AuthKeys.HTPASSWD, SecretData.encode(htpasswd.toString()));
    }
    if (auth.modeOrDefault() == AuthMode.Token) {
      String key = current.flatMap(s -> SecretData.text(s, AuthKeys.TOKEN_KEY))
          .filter(AuthSecretContent::readableKey)
          .orElseGet(CertificateAuthority::newPrivateKey);
      data.put(AuthKeys.TOKEN_KEY, SecretData.encode(key));
    }
    return Optional.of(data);
  }

  private static Map<String, String> hashes(String htpasswd) {
    Map<String, String> hashes = new HashMap<>();
    for (String line : htpasswd.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        hashes.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return hashes;
  }

  private static boolean readableKey(String pem) {
    try {
      CertificateAuthority.parsePrivateKey(pem);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
