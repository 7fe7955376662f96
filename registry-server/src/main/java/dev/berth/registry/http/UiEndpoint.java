package dev.berth.registry.http;

import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.CallerAccess;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.ui.RepositoryBrowser;
import dev.berth.registry.ui.UiAssets;
import dev.berth.registry.ui.UiHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code /ui/} and {@code /v2/_berth/} (with {@code ui.enabled}; otherwise 404): serves the UI's files and turns the
 * JSON API's requests into {@link RepositoryBrowser} calls for the caller {@link Authenticator#identify} names.
 */
final class UiEndpoint {
  private final boolean enabled;
  private final UiAssets assets;
  private final RepositoryBrowser browser;
  private final Authenticator authenticator;

  UiEndpoint(boolean enabled, UiAssets assets, RepositoryBrowser browser, Authenticator authenticator) {
    this.enabled = enabled;
    this.assets = assets;
    this.browser = browser;
    this.authenticator = authenticator;
  }

  BodySink redirect(Exchange exchange) {
    requireEnabled(exchange);
    Methods.require(exchange, "GET", "HEAD");
    exchange.respond(HttpResponseStatus.MOVED_PERMANENTLY, new DefaultHttpHeaders().set(HttpHeaderNames.LOCATION, "/ui/"));
    return null;
  }

  BodySink file(Exchange exchange, Route.UiFile route) {
    requireEnabled(exchange);
    Methods.require(exchange, "GET", "HEAD");
    UiAssets.Asset asset = assets.find(route.file()).orElseThrow(() -> notFound(exchange));
    HttpHeaders headers = security().set(HttpHeaderNames.ETAG, asset.etag())
        .set(HttpHeaderNames.CACHE_CONTROL, UiHeaders.CACHE_CONTROL);
    if (asset.etag().equals(exchange.header(HttpHeaderNames.IF_NONE_MATCH))) {
      exchange.respond(HttpResponseStatus.NOT_MODIFIED, headers);
      return null;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
    exchange.respond(HttpResponseStatus.OK, headers, asset.content());
    return null;
  }

  BodySink api(Exchange exchange, Route.BerthApi route) {
    requireEnabled(exchange);
    Methods.require(exchange, "GET", "HEAD");
    CallerAccess access = authenticator.identify(exchange.authRequest());
    if (access instanceof CallerAccess.Refused refused) {
      refuse(exchange, refused.refusal());
      return null;
    }
    CallerAccess.Known caller = (CallerAccess.Known) access;
    exchange.user(caller.subject());
    Object body = switch (route.call()) {
      case "repositories" -> browser.repositories(caller, exchange.param("q"));
      case "tags" -> browser.tags(caller, repository(exchange), exchange.param("q"));
      case "manifest" -> browser.manifest(caller, repository(exchange), required(exchange, "reference"));
      default -> throw notFound(exchange);
    };
    HttpHeaders headers = security().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    exchange.respondJson(HttpResponseStatus.OK, headers, body);
    return null;
  }

  private static RepositoryName repository(Exchange exchange) {
    return RepositoryName.parse(required(exchange, "repository"));
  }

  private static String required(Exchange exchange, String name) {
    String value = exchange.param(name);
    if (value == null || value.isBlank()) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "query parameter '" + name + "' is required", null, 400);
    }
    return value;
  }

  private static void refuse(Exchange exchange, AuthDecision.Refused refused) {
    HttpHeaders headers = new DefaultHttpHeaders();
    if (refused.wwwAuthenticate() != null) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, refused.wwwAuthenticate());
    }
    if (refused.retryAfter() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(refused.retryAfter().toSeconds()));
    }
    exchange.respondError(new RegistryException(refused.code(), refused.message()), headers);
  }

  private static HttpHeaders security() {
    HttpHeaders headers = new DefaultHttpHeaders();
    UiHeaders.security().forEach(headers::set);
    return headers;
  }

  private void requireEnabled(Exchange exchange) {
    if (!enabled) {
      throw notFound(exchange);
    }
  }

  private static RegistryException notFound(Exchange exchange) {
    return new RegistryException(ErrorCode.UNSUPPORTED, "no such endpoint: " + exchange.path(), null, 404);
  }
}
