package dev.berth.registry.http;

import dev.berth.registry.auth.Scope;
import io.netty.handler.codec.http.HttpMethod;

/** The scope a request needs, from its route and method, in the token protocol's terms. */
final class AccessPolicy {
  private AccessPolicy() {}

  /** Null for endpoints open to everyone (health probes, the token endpoint itself, unknown paths). */
  static Scope requiredScope(Route route, HttpMethod method) {
    if (route instanceof Route.Base) {
      return Scope.BASE;
    }
    if (route instanceof Route.Catalog || route instanceof Route.Search) {
      return Scope.catalog();
    }
    if (route instanceof Route.Tags t) {
      return Scope.repository(t.repo().value(), "pull");
    }
    if (route instanceof Route.Referrers r) {
      return Scope.repository(r.repo().value(), "pull");
    }
    if (route instanceof Route.Manifest m) {
      return repositoryScope(m.repo().value(), method);
    }
    if (route instanceof Route.Blob b) {
      return repositoryScope(b.repo().value(), method);
    }
    if (route instanceof Route.UploadStart u) {
      return Scope.repository(u.repo().value(), "pull", "push");
    }
    if (route instanceof Route.Upload u) {
      return Scope.repository(u.repo().value(), "pull", "push");
    }
    return null;
  }

  private static Scope repositoryScope(String repo, HttpMethod method) {
    if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
      return Scope.repository(repo, "pull");
    }
    if (HttpMethod.DELETE.equals(method)) {
      return Scope.repository(repo, "delete");
    }
    return Scope.repository(repo, "pull", "push");
  }
}
