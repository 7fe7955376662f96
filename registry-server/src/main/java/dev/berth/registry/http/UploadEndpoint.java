package dev.berth.registry.http;

import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.Scope;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadSession;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (new session, monolithic with {@code ?digest=}, or
 * cross-repository mount), and {@code GET|PATCH|PUT|DELETE /v2/<name>/blobs/uploads/<id>} (status, chunk, finish,
 * cancel).
 */
final class UploadEndpoint {
  private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes )?(\\d{1,18})-(\\d{1,18})(?:/\\S+)?");

  private final RegistryStorage storage;
  private final WritePolicy policy;
  private final EventRecorder events;

  private final RegistryMetrics metrics;

  UploadEndpoint(RegistryStorage storage, WritePolicy policy, RegistryMetrics metrics, EventRecorder events) {
    this.storage = storage;
    this.policy = policy;
    this.metrics = metrics;
    this.events = events;
  }

  BodySink start(Exchange exchange, Route.UploadStart route, RegistryApi api) {
    Methods.require(exchange, "POST");
    policy.checkWrite();
    String mount = exchange.param("mount");
    String from = exchange.param("from");
    if (mount != null && from != null && tryMount(exchange, route.repo(), Digest.parse(mount), RepositoryName.parse(from), api)) {
      return null;
    }
    String digestParam = exchange.param("digest");
    if (digestParam != null) {
      Digest digest = Digest.parse(digestParam);
      UploadSession session = storage.startUpload(route.repo());
      return new UploadBody(metrics, session, -1, true, () -> pushed(exchange, route.repo(), session.complete(digest)));
    }
    UploadSession session = storage.startUpload(route.repo());
    exchange.respond(HttpResponseStatus.ACCEPTED, progress(session));
    return BodySink.DISCARD;
  }

  /** Mounts when the client may pull from the source and the source has the blob; otherwise the caller starts an upload. */
  private boolean tryMount(Exchange exchange, RepositoryName to, Digest digest, RepositoryName from, RegistryApi api) {
    if (!(api.check(exchange, Scope.repository(from.value(), "pull")) instanceof AuthDecision.Allowed)) {
      return false;
    }
    if (!storage.mountBlob(to, from, digest)) {
      return false;
    }
    // deleted between the mount and this look: the client uploads it instead
    return storage.blob(to, digest).map(blob -> {
      created(exchange, to, blob);
      events.blobMounted(exchange, to, from, blob.digest(), blob.size());
      return true;
    }).orElse(false);
  }

  BodySink handle(Exchange exchange, Route.Upload route) {
    UploadSession session = storage.upload(route.repo(), route.uploadId());
    switch (exchange.method().name()) {
      case "GET":
        exchange.respond(HttpResponseStatus.NO_CONTENT, progress(session));
        return null;
      case "PATCH":
        policy.checkWrite();
        long expected = checkContentRange(exchange, session);
        return new UploadBody(metrics, session, expected, false, () -> {
          session.flush(); // acknowledged bytes must be there for the next request, whichever replica serves it
          exchange.respond(HttpResponseStatus.ACCEPTED, progress(session));
        });
      case "PUT":
        policy.checkWrite();
        String digestParam = exchange.param("digest");
        if (digestParam == null) {
          throw new RegistryException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required to finish an upload");
        }
        Digest digest = Digest.parse(digestParam);
        return new UploadBody(metrics, session, -1, false, () -> pushed(exchange, route.repo(), session.complete(digest)));
      case "DELETE":
        policy.checkWrite();
        session.cancel();
        exchange.respond(HttpResponseStatus.NO_CONTENT, new DefaultHttpHeaders());
        return null;
      default:
        throw Methods.notAllowed(exchange);
    }
  }

  /**
   * A chunk must start where the upload stands (416 otherwise, with the current Range so the client can resume).
   * Returns the announced chunk length, or -1 for a streamed PATCH without Content-Range.
   */
  private static long checkContentRange(Exchange exchange, UploadSession session) {
    String header = exchange.header(HttpHeaderNames.CONTENT_RANGE);
    if (header == null) {
      return -1;
    }
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range: " + header, null, 416);
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    if (start != session.size() || end < start) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
          "chunk " + start + "-" + end + " is out of order: the upload has " + session.size() + " bytes", null, 416);
    }
    return end - start + 1;
  }

  private void pushed(Exchange exchange, RepositoryName repo, BlobInfo blob) {
    created(exchange, repo, blob);
    events.blobPushed(exchange, repo, blob.digest(), blob.size());
  }

  private static void created(Exchange exchange, RepositoryName repo, BlobInfo blob) {
    HttpHeaders headers = new DefaultHttpHeaders()
        .set(HttpHeaderNames.LOCATION, "/v2/" + repo + "/blobs/" + blob.digest())
        .set("Docker-Content-Digest", blob.digest().toString());
    exchange.respond(HttpResponseStatus.CREATED, headers);
  }

  private static HttpHeaders progress(UploadSession session) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.LOCATION, "/v2/" + session.repository() + "/blobs/uploads/" + session.id())
        .set(HttpHeaderNames.RANGE, "0-" + Math.max(0, session.size() - 1))
        .set("Docker-Upload-UUID", session.id());
  }
}
