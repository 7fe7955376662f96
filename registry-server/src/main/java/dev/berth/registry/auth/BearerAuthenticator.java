package dev.berth.registry.auth;

import dev.berth.registry.oci.ErrorCode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Token auth: a request passes when its bearer token is valid and its {@code access} claim covers the scope the
 * request needs. Otherwise the client gets 401 with a Bearer challenge naming the realm, service and scope it should
 * ask the token endpoint for ({@code error="insufficient_scope"} when its token is valid but too narrow).
 */
public final class BearerAuthenticator implements Authenticator {
  /** Host header values that may go into a realm URL: names, IPv4, bracketed IPv6, optional port. */
  private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

  private final TokenValidator validator;
  private final String configuredRealm;
  private final String service;
  private final AccessRules rules;
  private final TokenEndpoint endpoint;
  private final AutoCloseable resources;
  private final dev.berth.registry.metrics.RegistryMetrics metrics;

  /**
   * {@code rules}: what requests without a token may do (the anonymous rules); {@code resources}: what
   * {@link #close()} releases (the htpasswd watcher).
   */
  public BearerAuthenticator(TokenValidator validator, String realm, String service, AccessRules rules,
      TokenEndpoint endpoint, AutoCloseable resources) {
    this(validator, realm, service, rules, endpoint, resources, dev.berth.registry.metrics.RegistryMetrics.NONE);
  }

  /** As above, counting refused tokens in {@code metrics}. */
  public BearerAuthenticator(TokenValidator validator, String realm, String service, AccessRules rules,
      TokenEndpoint endpoint, AutoCloseable resources, dev.berth.registry.metrics.RegistryMetrics metrics) {
    this.metrics = metrics;
    this.validator = validator;
    this.configuredRealm = realm == null || realm.isBlank() ? null : realm;
    this.service = service;
    this.rules = rules;
    this.endpoint = endpoint;
    this.resources = resources;
  }

  @Override
  public void close() {
    Authenticator.closeQuietly(resources);
  }

  @Override
  public Optional<TokenEndpoint> tokenEndpoint() {
    return Optional.ofNullable(endpoint);
  }

  @Override
  public AuthDecision authorize(AuthRequest request, Scope required) {
    boolean anonymousMayPass = rules.permitsAnonymous(required);
    String token = bearerToken(request.authorization());
    if (token == null) {
      return anonymousMayPass
          ? new AuthDecision.Allowed("anonymous")
          : refuse(request, required, "authentication required", null);
    }
    ValidatedToken validated;
    try {
      validated = validator.validate(token);
    } catch (InvalidTokenException e) {
      metrics.authRefused(dev.berth.registry.metrics.RegistryMetrics.AuthFailure.INVALID_TOKEN);
      return refuse(request, required, e.getMessage(), "invalid_token");
    }
    if (validated.covers(required)) {
      return new AuthDecision.Allowed(validated.subject());
    }
    if (anonymousMayPass) {
      return new AuthDecision.Allowed(validated.subject());
    }
    return refuse(request, required, "token does not grant " + required.toChallengeString(), "insufficient_scope");
  }

  /**
   * A token's own access claim names only the scopes it was issued for, so a listing across repositories asks the
   * access rules what its subject holds: what the token endpoint would grant that subject for each repository.
   * Without a token the caller is anonymous (refused, with the challenge, when no rule admits anonymous requests).
   */
  @Override
  public CallerAccess identify(AuthRequest request) {
    String token = bearerToken(request.authorization());
    if (token == null) {
      if (!rules.admitsAnonymous()) {
        return new CallerAccess.Refused((AuthDecision.Refused) refuse(request, Scope.BASE, "authentication required", null));
      }
      return anonymous();
    }
    ValidatedToken validated;
    try {
      validated = validator.validate(token);
    } catch (InvalidTokenException e) {
      metrics.authRefused(dev.berth.registry.metrics.RegistryMetrics.AuthFailure.INVALID_TOKEN);
      return new CallerAccess.Refused((AuthDecision.Refused) refuse(request, Scope.BASE, e.getMessage(), "invalid_token"));
    }
    if (validated.subject().equals(AccessRules.ANONYMOUS)) {
      return anonymous(); // the token endpoint's anonymous tokens: never more than the anonymous rules
    }
    String subject = validated.subject();
    return new CallerAccess.Known(subject,
        (repository, action) -> rules.permits(subject, Scope.repository(repository, action)));
  }

  private CallerAccess anonymous() {
    return new CallerAccess.Known(AccessRules.ANONYMOUS,
        (repository, action) -> rules.permitsAnonymous(Scope.repository(repository, action)));
  }

  /** The realm clients are sent to: the configured one, or this server's own {@code /auth/token} as the client saw it. */
  String realm(AuthRequest request) {
    if (configuredRealm != null) {
      return configuredRealm;
    }
    String host = request.host() != null && SAFE_HOST.matcher(request.host()).matches() ? request.host() : "localhost";
    return (request.secure() ? "https://" : "http://") + host + "/auth/token";
  }

  private AuthDecision refuse(AuthRequest request, Scope required, String message, String error) {
    String scope = required.equals(Scope.BASE) ? null : required.toChallengeString();
    return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, message,
        WwwAuthenticate.bearer(realm(request), service, scope, error));
  }

  private static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String header = authorization.trim();
    if (header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
