package dev.berth.registry.http;

import dev.berth.registry.notify.Event;
import dev.berth.registry.notify.EventSink;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns completed registry operations into {@link Event}s filled as distribution fills them ({@code
 * notifications/bridge.go}): manifest push, pull and delete; blob push (upload finished), pull, mount and delete.
 * Pulls are reported for GET and HEAD alike, as distribution does (both serve through the same handler).
 */
final class EventRecorder {
  static final String BLOB_MEDIA_TYPE = "application/octet-stream";

  private final EventSink sink;
  private final Clock clock;
  private final Supplier<Event.Source> source;

  EventRecorder(EventSink sink, Clock clock, Supplier<Event.Source> source) {
    this.sink = sink;
    this.clock = clock;
    this.source = source;
  }

  static final EventRecorder NONE = new EventRecorder(EventSink.NONE, Clock.systemUTC(), () -> null);

  void manifestPushed(Exchange exchange, RepositoryName repo, String reference, Digest digest, String mediaType,
      long size) {
    emit(exchange, Event.PUSH, new Event.Target(mediaType, size, digest.toString(), size, repo.value(), null,
        url(exchange, repo, "manifests", digest), tagOf(reference), null));
  }

  void manifestPulled(Exchange exchange, RepositoryName repo, String reference, Digest digest, String mediaType,
      long size) {
    emit(exchange, Event.PULL, new Event.Target(mediaType, size, digest.toString(), size, repo.value(), null,
        url(exchange, repo, "manifests", digest), tagOf(reference), null));
  }

  /** A manifest deleted by digest, or a tag deleted by name: only the repository and what was deleted. */
  void manifestDeleted(Exchange exchange, RepositoryName repo, String reference) {
    String tag = tagOf(reference);
    emit(exchange, Event.DELETE, new Event.Target(null, null, tag == null ? reference : null, null, repo.value(), null,
        null, tag, null));
  }

  void blobPushed(Exchange exchange, RepositoryName repo, Digest digest, long size) {
    emit(exchange, Event.PUSH, blob(exchange, repo, digest, size, null));
  }

  void blobPulled(Exchange exchange, RepositoryName repo, Digest digest, long size) {
    emit(exchange, Event.PULL, blob(exchange, repo, digest, size, null));
  }

  void blobMounted(Exchange exchange, RepositoryName repo, RepositoryName from, Digest digest, long size) {
    emit(exchange, Event.MOUNT, blob(exchange, repo, digest, size, from.value()));
  }

  void blobDeleted(Exchange exchange, RepositoryName repo, Digest digest) {
    emit(exchange, Event.DELETE, new Event.Target(null, null, digest.toString(), null, repo.value(), null, null, null,
        null));
  }

  private Event.Target blob(Exchange exchange, RepositoryName repo, Digest digest, long size, String from) {
    return new Event.Target(BLOB_MEDIA_TYPE, size, digest.toString(), size, repo.value(), from,
        url(exchange, repo, "blobs", digest), null, null);
  }

  private void emit(Exchange exchange, String action, Event.Target target) {
    if (sink == EventSink.NONE) {
      return;
    }
    String user = exchange.user();
    Event.Request request = new Event.Request(exchange.requestId(), exchange.client().getHostAddress(),
        exchange.header(HttpHeaderNames.HOST), exchange.method().name(), exchange.header(HttpHeaderNames.USER_AGENT));
    sink.emit(new Event(UUID.randomUUID().toString(), DateTimeFormatter.ISO_INSTANT.format(clock.instant()), action,
        target, request, new Event.Actor(user == null || user.equals("-") ? null : user), source.get()));
  }

  /** The absolute URL a client would fetch the target from, on the host it called (distribution's URL builder). */
  private static String url(Exchange exchange, RepositoryName repo, String kind, Digest digest) {
    String host = exchange.header(HttpHeaderNames.HOST);
    if (host == null) {
      return null;
    }
    return (exchange.secure() ? "https://" : "http://") + host + "/v2/" + repo.value() + "/" + kind + "/" + digest;
  }

  private static String tagOf(String reference) {
    return reference == null || reference.contains(":") ? null : reference;
  }
}
