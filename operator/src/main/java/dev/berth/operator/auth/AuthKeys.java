package dev.berth.operator.auth;

import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;

/** The keys of the auth Secrets and where the server finds them. */
public final class AuthKeys {
  public static final String HTPASSWD = "htpasswd";
  public static final String TOKEN_KEY = "token.key";
  /** The projected auth volume's mount in the registry pod. */
  public static final String MOUNT_DIR = "/etc/berth/auth";

  private AuthKeys() {}

  /** True when the operator keeps a Secret of its own: rendered users or a token signing key. */
  public static boolean operatorSecretWanted(AuthSpec auth) {
    return auth.enabled() && (!auth.usersOrEmpty().isEmpty() || auth.modeOrDefault() == AuthMode.Token);
  }
}
