package dev.berth.registry.auth;

/**
 * Decides whether a request's credentials cover the scope it needs. The HTTP layer asks it once per request (twice
 * for a cross-repository mount: push on the target, pull on the source) and renders a refusal in the spec's format.
 */
public interface Authenticator {
  AuthDecision authorize(AuthRequest request, Scope required);

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
