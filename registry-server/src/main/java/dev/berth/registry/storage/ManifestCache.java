package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recently served manifest bytes by digest, bounded in total bytes (least recently used go first). Safe to share
 * between replicas' views of one root because content under a digest never changes; whether a repository still
 * holds the manifest is checked on disk on every request, never cached.
 */
final class ManifestCache {
  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<Digest, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

  ManifestCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A copy of the cached bytes: callers own what they get, and the cache stays immutable. */
  synchronized Optional<byte[]> get(Digest digest) {
    byte[] cached = entries.get(digest);
    return cached == null ? Optional.empty() : Optional.of(cached.clone());
  }

  synchronized void put(Digest digest, byte[] content) {
    if (content.length > maxBytes || entries.containsKey(digest)) {
      return;
    }
    entries.put(digest, content.clone());
    bytes += content.length;
    var eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      Map.Entry<Digest, byte[]> entry = eldest.next();
      bytes -= entry.getValue().length;
      eldest.remove();
    }
  }

  synchronized long sizeInBytes() {
    return bytes;
  }
}
