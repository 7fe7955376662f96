package dev.berth.registry.auth;

import java.net.InetAddress;

/**
 * Decides whether a request's credentials cover the scope it needs. The HTTP layer asks it once per request (twice
 * for a cross-repository mount: push on the target, pull on the source) and renders a refusal in the spec's format.
 */
public interface Authenticator {
  AuthDecision authorize(String authorizationHeader, InetAddress client, Scope required);

  /** No auth configured: everyone may do everything. */
  static Authenticator allowAll() {
    return (header, client, required) -> new AuthDecision.Allowed("anonymous");
  }
}
