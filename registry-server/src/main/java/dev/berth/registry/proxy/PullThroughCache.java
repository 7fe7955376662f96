package dev.berth.registry.proxy;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.metrics.RegistryMetrics;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.StoredManifest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull-through cache: a manifest by digest and every blob come from the upstream once, verified, into the same
 * storage as pushed content, and are served from there after; a tag is asked about upstream at most once per TTL and,
 * when the upstream is down or failing, served from what the cache has (as registry:2 does).
 */
public final class PullThroughCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PullThroughCache.class);

  private final RegistryStorage storage;
  private final CacheRouting routing;
  private final Map<String, UpstreamClient> clients = new LinkedHashMap<>();
  private final Map<String, UpstreamHealth> health = new ConcurrentHashMap<>();
  private final TagFreshness freshness;
  private final BlobFetcher blobs;
  private final Clock clock;
  private final Map<String, Object> tagLocks = new ConcurrentHashMap<>();
  private final Observer observer = new Observer();
  private final RegistryMetrics metrics;

  /** @param spoolDirectory where blobs being fetched are spooled for the clients waiting on them */
  public PullThroughCache(RegistryConfig.Proxy proxy, RegistryStorage storage, Path spoolDirectory, Clock clock) {
    this(proxy, storage, spoolDirectory, clock, RegistryMetrics.NONE);
  }

  /** As above, counting hits and misses in {@code metrics}. */
  public PullThroughCache(RegistryConfig.Proxy proxy, RegistryStorage storage, Path spoolDirectory, Clock clock,
      RegistryMetrics metrics) {
    this.metrics = metrics;
    this.storage = storage;
    this.routing = new CacheRouting(proxy, this::heldLocally);
    this.clock = clock;
    this.freshness = new TagFreshness(clock);
    for (RegistryConfig.Upstream upstream : proxy.upstreams()) {
      clients.put(upstream.name(), new UpstreamClient(upstream, clock));
      health.put(upstream.name(), new UpstreamHealth(upstream.name(), upstream.host(), null, null, null));
    }
    this.blobs = new BlobFetcher(storage, spoolDirectory);
  }

  public CacheRouting routing() {
    return routing;
  }

  /** Each upstream's last error and success, in config order. */
  public List<UpstreamHealth> health() {
    return clients.keySet().stream().map(health::get).toList();
  }

  /**
   * The manifest, from the cache when it may be, else fetched, verified and stored first. A hit when its content was
   * not fetched (a tag the upstream only confirmed by HEAD is a hit too), a miss when it was.
   */
  public StoredManifest manifest(CachedRepository repo, String reference) {
    Lookup lookup = new Lookup();
    StoredManifest manifest = manifest(repo, reference, lookup);
    metrics.cacheLookup(RegistryMetrics.CacheItem.MANIFEST, !lookup.fetched);
    return manifest;
  }

  /** Whether a lookup fetched content from the upstream; used by the one thread doing the lookup. */
  private static final class Lookup {
    boolean fetched;
  }

  private StoredManifest manifest(CachedRepository repo, String reference, Lookup lookup) {
    if (Digest.looksLikeDigest(reference)) {
      Optional<StoredManifest> local = storage.manifest(repo.local(), reference);
      if (local.isPresent()) {
        return local.get();
      }
      synchronized (tagLocks.computeIfAbsent(repo.local() + "@" + reference, k -> new Object())) {
        return storage.manifest(repo.local(), reference).orElseGet(() -> fetchManifest(repo, reference, null, lookup));
      }
    }
    String key = repo.local() + ":" + reference;
    // one upstream check per tag at a time: concurrent first pulls wait for it and then find the tag fresh
    synchronized (tagLocks.computeIfAbsent(key, k -> new Object())) {
      Optional<StoredManifest> local = storage.manifest(repo.local(), reference);
      if (local.isPresent() && freshness.fresh(key, repo.upstream().tagTtl())) {
        return local.get();
      }
      try {
        StoredManifest manifest = checkTag(repo, reference, local, lookup);
        freshness.confirmed(key);
        return manifest;
      } catch (RegistryException e) {
        if (local.isPresent() && e.httpStatus() >= 500) {
          LOG.info("serving cached {}:{}: {}", repo.local(), reference, e.getMessage());
          return local.get();
        }
        throw e;
      }
    }
  }

  /** HEAD first (Docker Hub does not count HEADs against its pull limit); GET only when the digest is new here. */
  private StoredManifest checkTag(CachedRepository repo, String tag, Optional<StoredManifest> local, Lookup lookup) {
    HttpResponse<byte[]> head = ask(repo, "HEAD", tag);
    Optional<String> digest = head.headers().firstValue("Docker-Content-Digest").filter(Digest::looksLikeDigest);
    if (digest.isPresent()) {
      if (local.isPresent() && local.get().digest().toString().equals(digest.get())) {
        return local.get();
      }
      Optional<StoredManifest> known = storage.manifest(repo.local(), digest.get());
      if (known.isPresent()) {
        storage.putCachedManifest(repo.local(), tag, known.get().mediaType(), known.get().content());
        return storage.manifest(repo.local(), tag).orElseThrow();
      }
    }
    return fetchManifest(repo, tag, digest.orElse(null), lookup);
  }

  private StoredManifest fetchManifest(CachedRepository repo, String reference, String announced, Lookup lookup) {
    HttpResponse<byte[]> response = ask(repo, "GET", reference);
    lookup.fetched = true;
    byte[] content = response.body();
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    Digest actual = Digest.sha256(content);
    String header = response.headers().firstValue("Docker-Content-Digest").orElse(announced);
    if (!Digest.looksLikeDigest(reference) && header != null && Digest.looksLikeDigest(header)
        && Digest.parse(header).algorithm().equals(actual.algorithm()) && !Digest.parse(header).equals(actual)) {
      observer.failed(repo.upstream(), new UpstreamException(502, "manifest of " + repo.remote() + ":" + reference
          + " does not match its Docker-Content-Digest"));
      throw new RegistryException(ErrorCode.UNKNOWN, "upstream sent a manifest for " + reference
          + " that does not match its digest " + header, null, 502);
    }
    if (content.length > ManifestParser.MAX_MANIFEST_BYTES) {
      throw new RegistryException(ErrorCode.UNKNOWN, "upstream manifest is larger than a manifest may be", null, 502);
    }
    // a digest reference makes the storage verify the bytes against it, exactly as for a push by digest
    storage.putCachedManifest(repo.local(), reference, contentType, content);
    return storage.manifest(repo.local(), reference).orElseThrow();
  }

  private HttpResponse<byte[]> ask(CachedRepository repo, String method, String reference) {
    UpstreamClient client = clients.get(repo.upstream().name());
    String path = "/v2/" + repo.remote() + "/manifests/" + reference;
    try {
      HttpResponse<byte[]> response = client.fetchSmall(method, repo.remote(), path, UpstreamClient.MANIFEST_ACCEPT);
      if (response.statusCode() == 200) {
        observer.succeeded(repo.upstream());
        return response;
      }
      throw client.failure(response.statusCode(), method + " " + path);
    } catch (UpstreamException e) {
      if (e.notFound()) {
        observer.succeeded(repo.upstream()); // a definite answer: the upstream works
        throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown upstream: " + repo.remote() + ":"
            + reference, reference);
      }
      observer.failed(repo.upstream(), e);
      // 502: the upstream failed, not this registry; a cached copy is served instead where there is one
      throw new RegistryException(ErrorCode.UNKNOWN, e.getMessage(), null, e.unavailable() ? 502 : 503);
    }
  }

  /** The blob's size for a HEAD: the cached one, else the upstream's answer (nothing is fetched for a HEAD). */
  public BlobInfo blobInfo(CachedRepository repo, Digest digest) {
    Optional<BlobInfo> local = storage.blob(repo.local(), digest);
    if (local.isPresent()) {
      return local.get();
    }
    UpstreamClient client = clients.get(repo.upstream().name());
    String path = "/v2/" + repo.remote() + "/blobs/" + digest;
    try {
      HttpResponse<byte[]> response = client.fetchSmall("HEAD", repo.remote(), path, "*/*");
      if (response.statusCode() == 200) {
        observer.succeeded(repo.upstream());
        long size = response.headers().firstValueAsLong("Content-Length").orElseThrow(() ->
            new RegistryException(ErrorCode.UNKNOWN, "upstream sent no Content-Length for " + digest, null, 502));
        return new BlobInfo(digest, size);
      }
      throw client.failure(response.statusCode(), "HEAD " + path);
    } catch (UpstreamException e) {
      if (e.notFound()) {
        throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is unknown upstream",
            Map.of("digest", digest.toString()));
      }
      observer.failed(repo.upstream(), e);
      throw new RegistryException(ErrorCode.UNKNOWN, e.getMessage(), null, 502);
    }
  }

  /** True when the blob is cached: the caller serves it from storage; else it fetches it. Counted as a hit or miss. */
  public boolean blobCached(CachedRepository repo, Digest digest) {
    boolean cached = storage.blob(repo.local(), digest).isPresent();
    metrics.cacheLookup(RegistryMetrics.CacheItem.BLOB, cached);
    return cached;
  }

  /** Joins or starts the upstream fetch of an uncached blob. */
  public BlobFetch fetchBlob(CachedRepository repo, Digest digest) {
    return blobs.fetch(repo, digest, clients.get(repo.upstream().name()), observer);
  }

  /** The repository a request names is cached: its route, or empty for the registry's own repositories. */
  public Optional<CachedRepository> resolve(RepositoryName name, String ns) {
    return routing.resolve(name, ns);
  }

  /** As above, for a pull (manifest GET/HEAD, blob GET), which Docker's mirror requests may be. */
  public Optional<CachedRepository> resolve(RepositoryName name, String ns, boolean pull) {
    return routing.resolve(name, ns, pull);
  }

  /** A repository with manifests of its own: a Docker mirror request for it is answered from it, not the upstream. */
  private boolean heldLocally(RepositoryName name) {
    try {
      storage.tags(name);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  @Override
  public void close() {
    blobs.close();
  }

  /** Records each upstream's last error and last answer for status reports. */
  final class Observer {
    void succeeded(RegistryConfig.Upstream upstream) {
      health.computeIfPresent(upstream.name(), (name, h) ->
          new UpstreamHealth(name, h.host(), null, h.lastErrorAt(), clock.instant()));
    }

    void failed(RegistryConfig.Upstream upstream, UpstreamException e) {
      health.computeIfPresent(upstream.name(), (name, h) ->
          new UpstreamHealth(name, h.host(), e.getMessage(), clock.instant(), h.lastSuccessAt()));
    }
  }
}
