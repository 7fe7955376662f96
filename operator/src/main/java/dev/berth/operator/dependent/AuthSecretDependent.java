package dev.berth.operator.dependent;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.Registry;
import dev.berth.operator.spec.UserSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret {@code <name>-auth}: the htpasswd file rendered from spec.auth.users (bcrypt, as {@code htpasswd -B}
 * writes it) and, for mode Token, the token signing key all replicas share. A user's existing hash is kept while it
 * still matches the password, so an unchanged password never rewrites the Secret.
 */
@KubernetesDependent(informer = @Informer(labelSelector = RegistryNames.MANAGED_SELECTOR))
public class AuthSecretDependent extends CRUDKubernetesDependentResource<Secret, Registry> {
  public static final String HTPASSWD = "htpasswd";
  public static final String TOKEN_KEY = "token.key";
  static final int BCRYPT_COST = 10;

  public AuthSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(Registry registry, Context<Registry> context) {
    RegistryNames names = RegistryNames.of(registry);
    AuthSpec auth = registry.getSpec().authOrDefault();
    Optional<Secret> current = context.getSecondaryResources(Secret.class).stream()
        .filter(s -> names.authSecret().equals(s.getMetadata().getName()))
        .findFirst();
    Map<String, String> data = new LinkedHashMap<>();
    if (!auth.usersOrEmpty().isEmpty()) {
      Map<String, String> oldHashes = current.flatMap(s -> text(s, HTPASSWD)).map(AuthSecretDependent::hashes)
          .orElse(Map.of());
      StringBuilder htpasswd = new StringBuilder();
      for (UserSpec user : auth.usersOrEmpty()) {
        String password = UserPasswords.read(context.getClient(), names.namespace(), user)
            .orElseThrow(() -> new IllegalStateException("password of user " + user.getName() + " is missing"));
        String old = oldHashes.get(user.getName());
        String hash = old != null && BCrypt.verifyer().verify(password.toCharArray(), old).verified
            ? old
            : BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(BCRYPT_COST, password.toCharArray());
        htpasswd.append(user.getName()).append(':').append(hash).append('\n');
      }
      data.put(HTPASSWD, b64(htpasswd.toString()));
    }
    if (auth.modeOrDefault() == AuthMode.Token) {
      String key = current.flatMap(s -> text(s, TOKEN_KEY))
          .filter(AuthSecretDependent::readableKey)
          .orElseGet(CertificateAuthority::newPrivateKey);
      data.put(TOKEN_KEY, b64(key));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.authSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** True when the operator keeps a Secret of its own: rendered users or a token signing key. */
  public static boolean wanted(AuthSpec auth) {
    return auth.enabled() && (!auth.usersOrEmpty().isEmpty() || auth.modeOrDefault() == AuthMode.Token);
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

  private static Optional<String> text(Secret secret, String key) {
    return secret.getData() == null || secret.getData().get(key) == null
        ? Optional.empty()
        : Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
