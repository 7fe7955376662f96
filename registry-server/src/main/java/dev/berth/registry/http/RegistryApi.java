package dev.berth.registry.http;

import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Scope;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Routes a request, checks its credentials against the scope it needs, and hands it to its endpoint. */
final class RegistryApi {
  private final Authenticator authenticator;
  private final ProbeEndpoints probes;
  private final ManifestEndpoint manifests;
  private final BlobEndpoint blobs;
  private final UploadEndpoint uploads;
  private final ListingEndpoints listings;
  private final Endpoint tokens;
  private final CacheEndpoint cache;
  private UiEndpoint ui;

  RegistryApi(Authenticator authenticator, ProbeEndpoints probes, ManifestEndpoint manifests, BlobEndpoint blobs,
      UploadEndpoint uploads, ListingEndpoints listings, Endpoint tokens) {
    this(authenticator, probes, manifests, blobs, uploads, listings, tokens, null);
  }

  /** @param cache the pull-through cache's endpoint, or null when no upstream is configured */
  RegistryApi(Authenticator authenticator, ProbeEndpoints probes, ManifestEndpoint manifests, BlobEndpoint blobs,
      UploadEndpoint uploads, ListingEndpoints listings, Endpoint tokens, CacheEndpoint cache) {
    this.cache = cache;
    this.authenticator = authenticator;
    this.probes = probes;
    this.manifests = manifests;
    this.blobs = blobs;
    this.uploads = uploads;
    this.listings = listings;
    this.tokens = tokens;
  }

  /** Serves {@code /ui/} and {@code /v2/_berth/} through {@code endpoint} (without one they are 404). */
  RegistryApi withUi(UiEndpoint endpoint) {
    this.ui = endpoint;
    return this;
  }

  /** An endpoint answers, or returns the sink that will answer once the body has arrived. */
  @FunctionalInterface
  interface Endpoint {
    BodySink handle(Exchange exchange);
  }

  BodySink handle(Exchange exchange) {
    Route route = Router.route(exchange.path());
    exchange.routed(route.handler());
    // a cached repository is checked and served under its local name, so access rules apply to cache prefixes too
    CacheEndpoint.Cached cached = cache == null ? null : cache.match(route, exchange.param("ns"), exchange.method()).orElse(null);
    if (cached != null) {
      route = cached.route();
    }
    Scope scope = AccessPolicy.requiredScope(route, exchange.method());
    if (scope != null && !authorize(exchange, scope)) {
      return null;
    }
    if (cached != null) {
      BodySink sink = cache.handle(exchange, cached);
      if (sink != null || exchange.responded()) {
        return sink;
      }
    }
    if (route instanceof Route.Base) {
      return probes.base(exchange);
    }
    if (route instanceof Route.Health) {
      return probes.health(exchange);
    }
    if (route instanceof Route.Ready) {
      return probes.ready(exchange);
    }
    if (route instanceof Route.Token) {
      return tokens.handle(exchange);
    }
    if (route instanceof Route.Manifest m) {
      return manifests.handle(exchange, m);
    }
    if (route instanceof Route.Blob b) {
      return blobs.handle(exchange, b);
    }
    if (route instanceof Route.UploadStart u) {
      return uploads.start(exchange, u, this);
    }
    if (route instanceof Route.Upload u) {
      return uploads.handle(exchange, u);
    }
    if (route instanceof Route.Tags t) {
      return listings.tags(exchange, t);
    }
    if (route instanceof Route.Catalog) {
      return listings.catalog(exchange);
    }
    if (route instanceof Route.Search) {
      return listings.search(exchange);
    }
    if (route instanceof Route.Referrers r) {
      return listings.referrers(exchange, r);
    }
    if (ui != null && route instanceof Route.UiRedirect) {
      return ui.redirect(exchange);
    }
    if (ui != null && route instanceof Route.UiFile f) {
      return ui.file(exchange, f);
    }
    if (ui != null && route instanceof Route.BerthApi b) {
      return ui.api(exchange, b);
    }
    throw new RegistryException(ErrorCode.UNSUPPORTED, "no such endpoint: " + exchange.path(), null, 404);
  }

  /** Asks the authenticator; on refusal answers with the spec's error and challenge and returns false. */
  boolean authorize(Exchange exchange, Scope scope) {
    AuthDecision decision = check(exchange, scope);
    if (decision instanceof AuthDecision.Allowed allowed) {
      exchange.user(allowed.subject());
      return true;
    }
    AuthDecision.Refused refused = (AuthDecision.Refused) decision;
    HttpHeaders headers = new DefaultHttpHeaders();
    if (refused.wwwAuthenticate() != null) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, refused.wwwAuthenticate());
    }
    if (refused.retryAfter() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(refused.retryAfter().toSeconds()));
    }
    exchange.respondError(new RegistryException(refused.code(), refused.message(), scopeDetail(scope)), headers);
    return false;
  }

  /** Asks without answering: used where a refusal only changes the outcome (a mount falls back to an upload). */
  AuthDecision check(Exchange exchange, Scope scope) {
    return authenticator.authorize(exchange.authRequest(), scope);
  }

  private static Object scopeDetail(Scope scope) {
    return scope.actions().isEmpty() ? null : java.util.List.of(java.util.Map.of(
        "Type", scope.type(), "Name", scope.name(), "Action", String.join(",", scope.actions().stream().sorted().toList())));
  }
}
