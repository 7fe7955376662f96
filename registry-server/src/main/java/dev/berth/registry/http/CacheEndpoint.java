package dev.berth.registry.http;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.proxy.BlobFetch;
import dev.berth.registry.proxy.CachedRepository;
import dev.berth.registry.proxy.PullThroughCache;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.StoredManifest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Requests for repositories of the pull-through cache ({@code ?ns=<host>} or {@code /v2/<upstream>/...}). The route
 * is rewritten to the local name the content is stored under, so access rules, listings and cached blobs work as for
 * any repository; manifests and uncached blobs go through {@link PullThroughCache}; writes are refused.
 */
final class CacheEndpoint {
  private final PullThroughCache cache;
  private final BlobEndpoint blobs;
  private final EventRecorder events;

  CacheEndpoint(PullThroughCache cache, BlobEndpoint blobs, EventRecorder events) {
    this.cache = cache;
    this.blobs = blobs;
    this.events = events;
  }

  /** A route the cache answers, rewritten to the cached repository's local name. */
  record Cached(Route route, CachedRepository repo) {}

  Optional<Cached> match(Route route, String ns, HttpMethod method) {
    RepositoryName name = repositoryOf(route);
    if (name == null) {
      return Optional.empty();
    }
    boolean pull = route instanceof Route.Manifest && (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
        || route instanceof Route.Blob && HttpMethod.GET.equals(method);
    return cache.resolve(name, ns, pull).map(repo -> new Cached(rewrite(route, repo.local()), repo));
  }

  BodySink handle(Exchange exchange, Cached cached) {
    HttpMethod method = exchange.method();
    boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    Route route = cached.route();
    if (!read || route instanceof Route.UploadStart || route instanceof Route.Upload) {
      // DENIED rather than UNSUPPORTED: docker, podman and skopeo print a DENIED message as it is
      throw new RegistryException(ErrorCode.DENIED, "repository " + cached.repo().local() + " is a pull-through cache of "
          + cached.repo().upstream().host() + "; push to a repository outside the cache's prefix", null, 403);
    }
    if (route instanceof Route.Manifest m) {
      return manifest(exchange, m, cached.repo());
    }
    if (route instanceof Route.Blob b) {
      return blob(exchange, b, cached.repo());
    }
    return null; // tags and referrers: what is cached, answered by the registry's own endpoints
  }

  private BodySink manifest(Exchange exchange, Route.Manifest route, CachedRepository repo) {
    StoredManifest manifest = cache.manifest(repo, route.reference());
    ManifestEndpoint.respond(exchange, manifest);
    // a pull of the cached repository, as for its blobs (served by the blob endpoint); the upstream fetch is no event
    events.manifestPulled(exchange, route.repo(), route.reference(), manifest.digest(), manifest.mediaType(),
        manifest.content().length);
    return null;
  }

  private BodySink blob(Exchange exchange, Route.Blob route, CachedRepository repo) {
    Digest digest = Digest.parse(route.digest());
    if (HttpMethod.HEAD.equals(exchange.method())) {
      BlobInfo info = cache.blobInfo(repo, digest);
      exchange.respondHead(HttpResponseStatus.OK, headers(digest), info.size());
      return null;
    }
    if (cache.blobCached(repo, digest) || exchange.header(HttpHeaderNames.RANGE) != null && fetchFirst(repo, digest)) {
      return blobs.handle(exchange, route);
    }
    BlobFetch fetch = cache.fetchBlob(repo, digest);
    Optional<FileChannel> spool = fetch.openSpool();
    if (spool.isEmpty()) {
      if (fetch.failed()) {
        throw new RegistryException(ErrorCode.UNKNOWN, "fetching " + digest + " failed: " + fetch.failure(), null, 502);
      }
      return blobs.handle(exchange, route); // stored by now
    }
    exchange.respondArriving(HttpResponseStatus.OK, headers(digest), fetch.size(),
        new SpoolInput(fetch, spool.get(), exchange.context()));
    return null;
  }

  /** A range of an uncached blob: the whole blob is fetched first, then the range served from storage. */
  private boolean fetchFirst(CachedRepository repo, Digest digest) {
    BlobFetch fetch = cache.fetchBlob(repo, digest);
    Object done = new Object();
    Runnable wake = () -> {
      synchronized (done) {
        done.notifyAll();
      }
    };
    fetch.listen(wake);
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(30);
      synchronized (done) {
        while (!fetch.stored() && !fetch.failed() && System.nanoTime() < deadline) {
          done.wait(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fetch.unlisten(wake);
    }
    if (!fetch.stored()) {
      throw new RegistryException(ErrorCode.UNKNOWN, "fetching " + digest + " failed: " + fetch.failure(), null, 502);
    }
    return true;
  }

  private static HttpHeaders headers(Digest digest) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .set("Docker-Content-Digest", digest.toString())
        .set(HttpHeaderNames.ETAG, "\"" + digest + "\"");
  }

  private static RepositoryName repositoryOf(Route route) {
    if (route instanceof Route.Manifest m) {
      return m.repo();
    }
    if (route instanceof Route.Blob b) {
      return b.repo();
    }
    if (route instanceof Route.Tags t) {
      return t.repo();
    }
    if (route instanceof Route.Referrers r) {
      return r.repo();
    }
    if (route instanceof Route.UploadStart u) {
      return u.repo();
    }
    if (route instanceof Route.Upload u) {
      return u.repo();
    }
    return null;
  }

  private static Route rewrite(Route route, RepositoryName local) {
    if (route instanceof Route.Manifest m) {
      return new Route.Manifest(local, m.reference());
    }
    if (route instanceof Route.Blob b) {
      return new Route.Blob(local, b.digest());
    }
    if (route instanceof Route.Tags) {
      return new Route.Tags(local);
    }
    if (route instanceof Route.Referrers r) {
      return new Route.Referrers(local, r.digest());
    }
    if (route instanceof Route.UploadStart) {
      return new Route.UploadStart(local);
    }
    if (route instanceof Route.Upload u) {
      return new Route.Upload(local, u.uploadId());
    }
    return route;
  }
}
