package dev.berth.registry.storage;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Remembers each repository's tag list while its {@code _manifests/tags} directory is unchanged, so listing 1,000
 * tags costs one stat instead of 1,000 link reads. Adding or removing a tag directory changes that directory's mtime,
 * whoever writes it; a tag directory whose {@code current} link was not there yet is looked at again on every
 * request. Two guards keep an unseen change from lasting: a listing taken while the directory's mtime is within
 * {@link #RACY} of the clock is not trusted (timestamps are coarse, so a change in the same tick keeps the mtime),
 * and an entry older than the refresh interval is read again. Bounded to {@link #MAX_REPOSITORIES} entries.
 */
final class TagListCache {
  static final int MAX_REPOSITORIES = 1024;
  private static final Duration RACY = Duration.ofSeconds(2);

  /** A listing: tags whose current link was present (sorted), and tag directories that lacked one. */
  record Listing(List<String> complete, List<String> pending) {}

  private record Entry(FileTime mtime, Instant listedAt, Listing listing) {}

  private final Clock clock;
  private final Duration maxAge;
  private final Map<Path, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Entry> eldest) {
      return size() > MAX_REPOSITORIES;
    }
  };

  TagListCache(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * The listing of {@code tagsDir}, from memory when still valid, else from {@code read} (which must list the
   * directory as it is now). Empty listing when the directory does not exist.
   */
  Listing get(StorageDriver driver, Path tagsDir, Function<Path, Listing> read) {
    Instant now = clock.instant();
    Optional<FileTime> version = driver.directoryVersion(tagsDir);
    if (version.isEmpty()) {
      invalidate(tagsDir);
      return new Listing(List.of(), List.of());
    }
    FileTime mtime = version.get();
    Entry entry;
    synchronized (this) {
      entry = entries.get(tagsDir);
    }
    if (entry != null && entry.mtime().equals(mtime) && now.isBefore(entry.listedAt().plus(maxAge))) {
      return entry.listing();
    }
    Listing listing = read.apply(tagsDir);
    boolean racy = !mtime.toInstant().plus(RACY).isBefore(now);
    synchronized (this) {
      if (racy) {
        entries.remove(tagsDir);
      } else {
        entries.put(tagsDir, new Entry(mtime, now, listing));
      }
    }
    return listing;
  }

  /** Forgets a repository's listing: this server just changed its tags. */
  synchronized void invalidate(Path tagsDir) {
    entries.remove(tagsDir);
  }

  static Listing listing(List<String> complete, List<String> pending) {
    List<String> sorted = new ArrayList<>(complete);
    sorted.sort(null);
    return new Listing(List.copyOf(sorted), List.copyOf(pending));
  }
}
