package dev.berth.registry.http;

import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.OpenBlob;
import dev.berth.registry.storage.RegistryStorage;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/** {@code /v2/<name>/blobs/<digest>}: GET (with Range), HEAD, DELETE. Downloads are zero-copy. */
final class BlobEndpoint {
  private final RegistryStorage storage;
  private final WritePolicy policy;
  private final EventRecorder events;
  private final RegistryMetrics metrics;

  BlobEndpoint(RegistryStorage storage, WritePolicy policy, EventRecorder events, RegistryMetrics metrics) {
    this.storage = storage;
    this.policy = policy;
    this.events = events;
    this.metrics = metrics;
  }

  BodySink handle(Exchange exchange, Route.Blob route) {
    Digest digest = Digest.parse(route.digest());
    switch (exchange.method().name()) {
      case "HEAD" -> head(exchange, route, digest);
      case "GET" -> get(exchange, route, digest);
      case "DELETE" -> {
        policy.checkDelete();
        storage.deleteBlob(route.repo(), digest);
        exchange.respond(HttpResponseStatus.ACCEPTED, new DefaultHttpHeaders());
        events.blobDeleted(exchange, route.repo(), digest);
      }
      default -> throw Methods.notAllowed(exchange);
    }
    return null;
  }

  private void head(Exchange exchange, Route.Blob route, Digest digest) {
    BlobInfo info = storage.blob(route.repo(), digest).orElseThrow(() -> unknown(route, digest));
    exchange.respondHead(HttpResponseStatus.OK, headers(digest), info.size());
    events.blobPulled(exchange, route.repo(), digest, info.size());
  }

  private void get(Exchange exchange, Route.Blob route, Digest digest) {
    var redirect = storage.blobRedirect(route.repo(), digest);
    if (redirect.isPresent()) {
      exchange.respond(HttpResponseStatus.TEMPORARY_REDIRECT, headers(digest)
          .set(HttpHeaderNames.LOCATION, redirect.get().toString()));
      storage.blob(route.repo(), digest).ifPresent(info -> events.blobPulled(exchange, route.repo(), digest, info.size()));
      return;
    }
    OpenBlob blob = storage.openBlob(route.repo(), digest);
    long size = blob.info().size();
    ByteRange range;
    try {
      range = ByteRange.parse(exchange.header(HttpHeaderNames.RANGE), size);
    } catch (RegistryException e) {
      closeQuietly(blob);
      exchange.respondError(e, new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size));
      return;
    }
    HttpHeaders headers = headers(digest);
    HttpResponseStatus status = HttpResponseStatus.OK;
    long start = 0;
    long length = size;
    if (range != null) {
      headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + size);
      status = HttpResponseStatus.PARTIAL_CONTENT;
      start = range.start();
      length = range.length();
    }
    // a range is a pull too; distribution reports every blob served
    events.blobPulled(exchange, route.repo(), digest, size);
    if (blob.isFile()) {
      exchange.respondFile(status, headers, blob.channel(), start, length);
    } else {
      exchange.respondStream(status, headers, blob.ranges(), start, length).ifPresent(metrics::objectDownload);
    }
  }

  private static HttpHeaders headers(Digest digest) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .set("Docker-Content-Digest", digest.toString())
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
        .set(HttpHeaderNames.ETAG, "\"" + digest + "\"")
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=31536000");
  }

  private static RegistryException unknown(Route.Blob route, Digest digest) {
    return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown: " + route.repo() + "@" + digest, digest.toString());
  }

  private static void closeQuietly(OpenBlob blob) {
    try {
      blob.close();
    } catch (IOException ignored) {
      // the response is an error either way
    }
  }
}
