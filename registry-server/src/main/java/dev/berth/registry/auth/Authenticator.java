package dev.berth.registry.auth;

/**
 * Decides whether a request's credentials cover the scope it needs. The HTTP layer asks it once per request (twice
 * for a cross-repository mount: push on the target, pull on the source) and renders a refusal in the spec's format.
 */
public interface Authenticator extends AutoCloseable {
  AuthDecision authorize(AuthRequest request, Scope required);

  /** Stops what the authenticator runs in the background (the htpasswd watcher). */
  @Override
  default void close() {}

  /** Closes {@code resource}; a failure to close is no reason to fail a shutdown. */
  static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(Authenticator.class).warn("closing {} failed", resource, e);
    }
  }

  /**
   * The token endpoint the HTTP layer serves at {@code GET /auth/token}, present when token auth is configured. It
   * shares this authenticator's signing key, which matters when the key is ephemeral.
   */
  default java.util.Optional<TokenEndpoint> tokenEndpoint() {
    return java.util.Optional.empty();
  }

  /** No auth configured: everyone may do everything. */
  static Authenticator allowAll() {
    return (request, required) -> new AuthDecision.Allowed("anonymous");
  }
}
