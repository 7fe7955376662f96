package dev.berth.registry.auth;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /auth/token?service=...&scope=...&account=...}: the Docker registry token protocol. Basic credentials
 * (or none, when rules for {@code anonymous} exist) are exchanged for a signed JWT whose {@code access} claim holds what the
 * access rules allow of what was asked: asking for more than allowed yields less, never an error.
 */
public final class TokenEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
  private static final int MAX_SCOPES = 64;

  private final TokenIssuer issuer;
  private final PasswordLogin login;
  private final AccessRules rules;
  private final String service;
  private final String basicChallenge;

  public TokenEndpoint(TokenIssuer issuer, PasswordLogin login, AccessRules rules, String service, String basicRealm) {
    this.issuer = issuer;
    this.login = login;
    this.rules = rules;
    this.service = service;
    this.basicChallenge = WwwAuthenticate.basic(basicRealm);
  }

  public TokenReply handle(AuthRequest request, Map<String, List<String>> queryParams) {
    Optional<String> askedService = first(queryParams, "service");
    if (askedService.isPresent() && !askedService.get().equals(service)) {
      return TokenReply.error(ErrorCode.DENIED,
          "this token service issues tokens for service '" + service + "', not '" + askedService.get() + "'", Map.of());
    }
    List<Scope> requested;
    try {
      requested = requestedScopes(queryParams.getOrDefault("scope", List.of()));
    } catch (IllegalArgumentException e) {
      return TokenReply.error(ErrorCode.NAME_INVALID, e.getMessage(), Map.of());
    } catch (RegistryException e) {
      return TokenReply.error(e.code(), e.getMessage(), Map.of());
    }

    Optional<BasicCredentials> credentials;
    try {
      credentials = BasicCredentials.fromHeader(request.authorization());
    } catch (BasicCredentials.MalformedCredentialsException e) {
      return unauthorized(e.getMessage());
    }
    String subject;
    boolean anonymous = credentials.isEmpty() || credentials.get().anonymous();
    if (anonymous) {
      if (!rules.admitsAnonymous()) {
        return unauthorized("authentication required");
      }
      subject = "anonymous";
    } else {
      PasswordLogin.Result result = login.check(credentials.get(), request.client());
      if (result instanceof PasswordLogin.Result.Throttled throttled) {
        AuthDecision.Refused refused = AuthDecision.Refused.throttled(throttled.retryAfter());
        return TokenReply.error(refused.code(), refused.message(),
            Map.of("Retry-After", Long.toString(refused.retryAfter().toSeconds())));
      }
      if (!(result instanceof PasswordLogin.Result.Success success)) {
        return unauthorized("invalid username or password");
      }
      subject = success.user();
      Optional<String> account = first(queryParams, "account");
      if (account.isPresent() && !account.get().isEmpty() && !account.get().equals(subject)) {
        return TokenReply.error(ErrorCode.DENIED, "account '" + account.get() + "' does not match the credentials", Map.of());
      }
    }

    List<Scope> granted = new ArrayList<>();
    for (Scope scope : requested) {
      Set<String> actions = anonymous ? rules.grantAnonymous(scope) : rules.grant(subject, scope);
      if (!actions.isEmpty()) {
        granted.add(new Scope(scope.type(), scope.name(), actions));
      }
    }
    IssuedToken token = issuer.issue(subject, granted);
    LOG.debug("issued a token to '{}' for {}", subject, granted);
    return TokenReply.ok(token);
  }

  private TokenReply unauthorized(String message) {
    return TokenReply.error(ErrorCode.UNAUTHORIZED, message, Map.of("WWW-Authenticate", basicChallenge));
  }

  /**
   * Every {@code scope} parameter (clients send several, some space-separate them in one), with a repository's
   * {@code *} spelled out and scopes for the same resource merged.
   */
  private static List<Scope> requestedScopes(List<String> values) {
    Map<String, Scope> merged = new LinkedHashMap<>();
    for (String value : values) {
      for (String text : value.trim().split("\\s+")) {
        if (text.isEmpty()) {
          continue;
        }
        if (merged.size() >= MAX_SCOPES) {
          throw new IllegalArgumentException("too many scopes; at most " + MAX_SCOPES + " per token request");
        }
        Scope scope = Scope.parse(text);
        Set<String> actions = new LinkedHashSet<>(scope.actions());
        if (scope.type().equals("repository")) {
          RepositoryName.parse(scope.name());
          if (actions.remove("*")) {
            actions.addAll(List.of(AccessRules.PULL, AccessRules.PUSH, AccessRules.DELETE));
          }
        }
        String key = scope.type() + ":" + scope.name();
        Scope previous = merged.get(key);
        if (previous != null) {
          actions.addAll(previous.actions());
        }
        merged.put(key, new Scope(scope.type(), scope.name(), actions));
      }
    }
    return List.copyOf(merged.values());
  }

  private static Optional<String> first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }
}
