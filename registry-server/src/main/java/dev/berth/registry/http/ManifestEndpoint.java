package dev.berth.registry.http;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.ManifestPutResult;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.StoredManifest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /v2/<name>/manifests/<reference>}: GET, HEAD, PUT, DELETE. */
final class ManifestEndpoint {
  /** Manifests are small JSON documents; anything bigger is refused before it is read. */
  private static final int MAX_MANIFEST_BYTES = ManifestParser.MAX_MANIFEST_BYTES;

  private final RegistryStorage storage;
  private final WritePolicy policy;
  private final EventRecorder events;

  ManifestEndpoint(RegistryStorage storage, WritePolicy policy, EventRecorder events) {
    this.storage = storage;
    this.policy = policy;
    this.events = events;
  }

  BodySink handle(Exchange exchange, Route.Manifest route) {
    return switch (exchange.method().name()) {
      case "GET", "HEAD" -> get(exchange, route);
      case "PUT" -> put(exchange, route);
      case "DELETE" -> delete(exchange, route);
      default -> throw Methods.notAllowed(exchange);
    };
  }

  private BodySink get(Exchange exchange, Route.Manifest route) {
    StoredManifest manifest = storage.manifest(route.repo(), route.reference())
        .orElseThrow(() -> new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
            "manifest unknown: " + route.repo() + ":" + route.reference(), route.reference()));
    respond(exchange, manifest);
    events.manifestPulled(exchange, route.repo(), route.reference(), manifest.digest(), manifest.mediaType(),
        manifest.content().length);
    return null;
  }

  /** A stored manifest as the body of a 200, with its media type, digest and ETag; the cache answers the same way. */
  static void respond(Exchange exchange, StoredManifest manifest) {
    HttpHeaders headers = new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_TYPE, manifest.mediaType())
        .set("Docker-Content-Digest", manifest.digest().toString())
        .set(HttpHeaderNames.ETAG, "\"" + manifest.digest() + "\"");
    exchange.respond(HttpResponseStatus.OK, headers, manifest.content());
  }

  private BodySink put(Exchange exchange, Route.Manifest route) {
    policy.checkWrite();
    String length = exchange.header(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null && parseLength(length) > MAX_MANIFEST_BYTES) {
      throw BufferedBody.tooLarge(MAX_MANIFEST_BYTES);
    }
    String contentType = exchange.header(HttpHeaderNames.CONTENT_TYPE);
    return new BufferedBody(MAX_MANIFEST_BYTES, bytes -> {
      ManifestPutResult result = storage.putManifest(route.repo(), route.reference(), contentType, bytes);
      HttpHeaders headers = new DefaultHttpHeaders()
          .set(HttpHeaderNames.LOCATION, location(route.repo(), result.digest().toString()))
          .set("Docker-Content-Digest", result.digest().toString());
      result.subject().ifPresent(subject -> headers.set("OCI-Subject", subject.toString()));
      exchange.respond(HttpResponseStatus.CREATED, headers);
      events.manifestPushed(exchange, route.repo(), route.reference(), result.digest(), mediaTypeOf(contentType),
          bytes.length);
    });
  }

  private BodySink delete(Exchange exchange, Route.Manifest route) {
    policy.checkDelete();
    storage.deleteManifest(route.repo(), route.reference());
    exchange.respond(HttpResponseStatus.ACCEPTED, new DefaultHttpHeaders());
    events.manifestDeleted(exchange, route.repo(), route.reference());
    return null;
  }

  private static String mediaTypeOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new RegistryException(ErrorCode.SIZE_INVALID, "invalid Content-Length: " + value);
    }
  }

  static String location(RepositoryName repo, String reference) {
    return "/v2/" + repo + "/manifests/" + reference;
  }
}
