package dev.berth.registry.proxy;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.storage.BlobInfo;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches uncached blobs, at most one upstream request per blob and repository at a time: whoever asks while a fetch
 * runs joins it. Bytes go through the storage's own upload (hashed while written, verified on complete, then renamed
 * into place) and, for the waiting clients, through a spool file; never whole through memory.
 */
final class BlobFetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlobFetcher.class);
  private static final int CHUNK = 64 * 1024;
  /** Until the upstream's headers arrive (its connect and request timeouts bound that side). */
  private static final long START_LIMIT_SECONDS = 120;
  /** A body that sends nothing for this long is abandoned; clients see the fetch fail. */
  static final long STALL_MILLIS = 60_000;
  /**
   * A spool file untouched this long belongs to no running fetch (a live one is written at least every
   * {@link #STALL_MILLIS}): a process killed mid-fetch left it. Replicas may share the directory, so age decides.
   */
  static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofHours(1);

  private final RegistryStorage storage;
  private final Path spoolDirectory;
  private final Map<String, CompletableFuture<BlobFetch>> inflight = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final ScheduledExecutorService watchdog;

  BlobFetcher(RegistryStorage storage, Path spoolDirectory) {
    this.storage = storage;
    this.spoolDirectory = spoolDirectory;
    AtomicInteger ids = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> daemon(r, "berth-proxy-fetch-" + ids.incrementAndGet()));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "berth-proxy-watchdog"));
    try {
      Files.createDirectories(spoolDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the proxy spool directory " + spoolDirectory, e);
    }
    removeLeftovers(spoolDirectory, java.time.Instant.now().minus(LEFTOVER_AGE));
  }

  /** Deletes {@code *.spool} files last written before {@code cutoff}; returns how many. */
  static int removeLeftovers(Path directory, java.time.Instant cutoff) {
    int removed = 0;
    try (var files = Files.newDirectoryStream(directory, "*.spool")) {
      for (Path file : files) {
        try {
          if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
            removed++;
          }
        } catch (IOException e) {
          LOG.debug("cannot remove leftover spool {}: {}", file, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the proxy spool directory {}: {}", directory, e.getMessage());
    }
    if (removed > 0) {
      LOG.info("removed {} spool files left by interrupted fetches", removed);
    }
    return removed;
  }

  /** Joins the running fetch of the blob, or starts one; returns once the upstream has answered with the blob's size. */
  BlobFetch fetch(CachedRepository repo, Digest digest, UpstreamClient client, PullThroughCache.Observer observer) {
    String key = repo.local() + "@" + digest;
    CompletableFuture<BlobFetch> future = inflight.computeIfAbsent(key, k -> {
      CompletableFuture<BlobFetch> started = new CompletableFuture<>();
      pool.execute(() -> run(key, repo, digest, client, observer, started));
      return started;
    });
    try {
      return future.get(START_LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RegistryException registry) {
        throw registry;
      }
      throw new RegistryException(ErrorCode.UNKNOWN, "fetching " + digest + " failed: " + e.getCause(), null, 502);
    } catch (TimeoutException e) {
      throw new RegistryException(ErrorCode.UNKNOWN, "upstream did not answer for " + digest, null, 504);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(ErrorCode.UNKNOWN, "interrupted", null, 503);
    }
  }

  private void run(String key, CachedRepository repo, Digest digest, UpstreamClient client,
      PullThroughCache.Observer observer, CompletableFuture<BlobFetch> started) {
    BlobFetch fetch = null;
    UploadSession upload = null;
    try {
      Optional<BlobInfo> stored = storage.blob(repo.local(), digest);
      if (stored.isPresent()) {
        // a fetch that finished between the caller's look at storage and its arrival here
        started.complete(BlobFetch.alreadyStored(stored.get().size()));
        return;
      }
      HttpResponse<InputStream> response;
      try {
        response = client.fetchStream(repo.remote(), "/v2/" + repo.remote() + "/blobs/" + digest);
        observer.succeeded(repo.upstream());
      } catch (UpstreamException e) {
        observer.failed(repo.upstream(), e);
        throw e.notFound()
            ? new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is unknown upstream", Map.of("digest", digest.toString()))
            : new RegistryException(ErrorCode.UNKNOWN, e.getMessage(), null, 502);
      }
      long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      Path spool = spoolDirectory.resolve(UUID.randomUUID() + ".spool");
      try (InputStream body = response.body();
           FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        fetch = size >= 0 ? new BlobFetch(size, spool) : null;
        if (fetch != null) {
          started.complete(fetch); // readers may follow from here
        }
        upload = storage.startUpload(repo.local());
        long total = copy(body, out, upload, fetch, digest);
        if (size >= 0 && total != size) {
          throw new IOException("upstream sent " + total + " bytes of " + digest + ", announced " + size);
        }
        UploadSession verifying = upload;
        upload = null; // a mismatch discards the upload itself
        verifying.complete(digest); // verifies the digest; a mismatch throws and stores nothing
        if (fetch == null) {
          fetch = BlobFetch.alreadyStored(total);
          started.complete(fetch);
        } else {
          fetch.succeeded();
        }
        Files.deleteIfExists(spool);
      } finally {
        Files.deleteIfExists(spool);
      }
    } catch (RegistryException | IOException | UncheckedIOException e) {
      String why = e instanceof RegistryException r && r.code() == ErrorCode.DIGEST_INVALID
          ? "upstream sent bytes that do not match " + digest : e.getMessage();
      if (e instanceof RegistryException r && r.code() == ErrorCode.DIGEST_INVALID) {
        LOG.warn("{}: {}; nothing stored", client.name(), why);
      } else if (!(e instanceof RegistryException)) {
        LOG.warn("{}: fetching {} failed: {}", client.name(), digest, why);
      }
      if (upload != null) {
        try {
          upload.cancel();
        } catch (RuntimeException cancelFailure) {
          LOG.debug("cancelling the upload of {} failed", digest, cancelFailure);
        }
      }
      if (fetch != null) {
        fetch.failed(why);
      }
      started.completeExceptionally(e instanceof RegistryException r ? r
          : new RegistryException(ErrorCode.UNKNOWN, why, null, 502));
    } finally {
      inflight.remove(key, started);
    }
  }

  private long copy(InputStream body, FileChannel out, UploadSession upload, BlobFetch fetch, Digest digest)
      throws IOException {
    byte[] buffer = new byte[CHUNK];
    long total = 0;
    long[] lastProgress = {System.nanoTime()};
    ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastProgress[0] > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
        LOG.warn("upstream stalled sending {}; abandoning the fetch", digest);
        try {
          body.close(); // the blocked read below fails
        } catch (IOException ignored) {
          // it is being abandoned either way
        }
      }
    }, 5, 5, TimeUnit.SECONDS);
    try {
      int n;
      while ((n = body.read(buffer)) >= 0) {
        lastProgress[0] = System.nanoTime();
        if (n == 0) {
          continue;
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        upload.append(ByteBuffer.wrap(buffer, 0, n));
        total += n;
        if (fetch != null) {
          fetch.progressed(total);
        }
      }
      return total;
    } finally {
      guard.cancel(false);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    watchdog.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
