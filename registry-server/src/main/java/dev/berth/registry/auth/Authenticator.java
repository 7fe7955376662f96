package dev.berth.registry.auth;

/**
 * Decides whether a request's credentials cover the scope it needs. The HTTP layer asks it once per request (twice
 * for a cross-repository mount: push on the target, pull on the source) and renders a refusal in the spec's format.
 */
public interface Authenticator extends AutoCloseable {
  AuthDecision authorize(AuthRequest request, Scope required);

  /**
   * Who the caller is for a listing that shows each repository only to those who may pull it. This default asks
   * {@link #authorize} for each repository and action, so it is exactly the v2 API's decision: credentials are checked
   * once against {@link Scope#BASE} (bad ones are refused), a request without any is anonymous.
   */
  default CallerAccess identify(AuthRequest request) {
    AuthDecision base = authorize(request, Scope.BASE);
    String subject;
    if (base instanceof AuthDecision.Allowed allowed) {
      subject = allowed.subject();
    } else if (request.authorization() == null) {
      subject = AccessRules.ANONYMOUS;
    } else {
      return new CallerAccess.Refused((AuthDecision.Refused) base);
    }
    return new CallerAccess.Known(subject, (repository, action) ->
        authorize(request, Scope.repository(repository, action)) instanceof AuthDecision.Allowed);
  }

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
