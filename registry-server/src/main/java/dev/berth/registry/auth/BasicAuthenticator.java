package dev.berth.registry.auth;

import dev.berth.registry.oci.ErrorCode;
import java.util.Optional;

/**
 * HTTP Basic against the htpasswd file ({@code auth.htpasswd}), with access rules; requests without credentials get
 * what the rules for {@code anonymous} allow.
 * {@code GET /v2/} without credentials always gets the challenge, even with anonymous pull on, because clients
 * such as {@code docker login} only send credentials after a challenge.
 */
public final class BasicAuthenticator implements Authenticator {
  private final String challenge;
  private final PasswordLogin login;
  private final AccessRules rules;
  private final AutoCloseable resources;

  /** {@code resources}: what {@link #close()} releases (the htpasswd watcher). */
  public BasicAuthenticator(String realm, PasswordLogin login, AccessRules rules, AutoCloseable resources) {
    this.challenge = WwwAuthenticate.basic(realm);
    this.login = login;
    this.rules = rules;
    this.resources = resources;
  }

  @Override
  public void close() {
    Authenticator.closeQuietly(resources);
  }

  /** As the default, but without credentials where no rule admits anonymous requests: the challenge, so a UI asks. */
  @Override
  public CallerAccess identify(AuthRequest request) {
    if (request.authorization() == null && !rules.admitsAnonymous()) {
      return new CallerAccess.Refused(new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, "authentication required",
          challenge));
    }
    return Authenticator.super.identify(request);
  }

  @Override
  public AuthDecision authorize(AuthRequest request, Scope required) {
    Optional<BasicCredentials> credentials;
    try {
      credentials = BasicCredentials.fromHeader(request.authorization());
    } catch (BasicCredentials.MalformedCredentialsException e) {
      return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, e.getMessage(), challenge);
    }
    if (credentials.isEmpty() || credentials.get().anonymous()) {
      if (!required.equals(Scope.BASE) && rules.permitsAnonymous(required)) {
        return new AuthDecision.Allowed("anonymous");
      }
      return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, "authentication required", challenge);
    }
    PasswordLogin.Result result = login.check(credentials.get(), request.client());
    if (result instanceof PasswordLogin.Result.Throttled throttled) {
      return AuthDecision.Refused.throttled(throttled.retryAfter());
    }
    if (!(result instanceof PasswordLogin.Result.Success success)) {
      return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, "invalid username or password", challenge);
    }
    if (required.equals(Scope.BASE) || rules.permits(success.user(), required)) {
      return new AuthDecision.Allowed(success.user());
    }
    return new AuthDecision.Refused(ErrorCode.DENIED,
        "user '" + success.user() + "' may not " + String.join(",", required.actions().stream().sorted().toList())
            + " " + required.name(), null);
  }
}
