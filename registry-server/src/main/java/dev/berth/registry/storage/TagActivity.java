package dev.berth.registry.storage;

import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each tag was last pushed and pulled, for retention rules ({@code pushedWithin}, {@code pulledWithin}): Berth
 * sidecars {@code _berth/tags/<tag>/pushed} and {@code pulled} holding an ISO-8601 instant; registry:2 ignores them.
 * A pull is written at most once per {@link #PULL_RESOLUTION} per tag (coalesced in memory), and a failure to record
 * (a read-only volume) never fails the request.
 */
final class TagActivity {
  static final Duration PULL_RESOLUTION = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(TagActivity.class);
  private static final int MAX_REMEMBERED = 100_000;

  private final StorageLayout layout;
  private final StorageDriver driver;
  private final Clock clock;
  private final ConcurrentHashMap<String, Instant> lastPullRecorded = new ConcurrentHashMap<>();

  TagActivity(StorageLayout layout, StorageDriver driver, Clock clock) {
    this.layout = layout;
    this.driver = driver;
    this.clock = clock;
  }

  void pushed(RepositoryName repo, Tag tag) {
    record(layout.tagActivity(repo, tag, "pushed"), clock.instant());
  }

  /** When {@code tag} was last pushed: the sidecar, else (registry:2 pushed it) its current link's mtime. */
  java.util.Optional<Instant> lastPushed(RepositoryName repo, Tag tag) {
    java.util.Optional<Instant> recorded;
    try {
      recorded = driver.read(layout.tagActivity(repo, tag, "pushed"), MAX_SIDECAR_BYTES)
          .map(bytes -> Instant.parse(new String(bytes, StandardCharsets.US_ASCII).strip()));
    } catch (StorageDriver.TooLargeException | java.time.format.DateTimeParseException e) {
      recorded = java.util.Optional.empty(); // torn or hand-edited: the link's time is the better guess
    }
    return recorded.or(() -> driver.stat(layout.tagCurrentLink(repo, tag)).map(StoredFile::modified));
  }

  private static final int MAX_SIDECAR_BYTES = 256;

  void pulled(RepositoryName repo, Tag tag) {
    Instant now = clock.instant();
    String key = repo.value() + ":" + tag.value();
    Instant last = lastPullRecorded.get(key);
    if (last != null && last.plus(PULL_RESOLUTION).isAfter(now)) {
      return;
    }
    if (lastPullRecorded.size() > MAX_REMEMBERED) {
      lastPullRecorded.clear(); // bounded memory; costs one extra write per tag at worst
    }
    lastPullRecorded.put(key, now);
    record(layout.tagActivity(repo, tag, "pulled"), now);
  }

  private void record(java.nio.file.Path file, Instant when) {
    try {
      driver.write(file, when.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      LOG.debug("cannot record tag activity in {}: {}", file, e.getMessage());
    }
  }
}
