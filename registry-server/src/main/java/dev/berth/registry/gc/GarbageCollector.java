package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.oci.Tag;
import dev.berth.registry.config.RegistryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online mark and sweep (docs/gc.md). Per repository: mark (see {@link RepositoryMark}), then delete its unreachable
 * old revisions (only with deleteUntagged), its old {@code _layers} links no live manifest names, and its stale
 * uploads. Then over the global blob store: delete every old blob that no repository's mark or surviving link names.
 * "Old" means written before the grace period; every deletion passes the fence ({@link CollectorFence}) in batches.
 * No repository or global lock is held: writers are only ever delayed by a batch naming what they reference.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final int BATCH = 500;

  private final GcStore store;
  private final FenceTiming timing;
  private final Clock clock;

  /** @param clock the grace period's clock (the system clock, or a test's); it must agree with the storage's mtimes */
  public GarbageCollector(GcStore store, FenceTiming timing, Clock clock) {
    this.store = store;
    this.timing = timing;
    this.clock = clock;
  }

  /** One collection; empty when another collector holds the lock (nothing was done). */
  public Optional<GcReport> run(GcOptions options, GcEvents events) {
    String runId = clock.instant().toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
    if (options.dryRun()) {
      return Optional.of(new Run(options, events, null, null).execute());
    }
    Optional<CollectorLock> lock = CollectorLock.tryAcquire(store, runId, timing.condemnedLease().multipliedBy(4),
        clock.instant());
    if (lock.isEmpty()) {
      LOG.info("garbage collection skipped: another collector holds the lock");
      return Optional.empty();
    }
    try (CollectorFence fence = CollectorFence.announce(store, timing, runId)) {
      GcReport report = new Run(options, events, fence, lock.get()).execute();
      fence.cleanUp();
      return Optional.of(report);
    } finally {
      lock.get().release();
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The state of one run. */
  private final class Run {
    private final GcOptions options;
    private final GcEvents events;
    private final CollectorFence fence;
    private final CollectorLock lock;
    private final Instant started = clock.instant();
    private final Instant cutoff;
    private final RetentionRules retention;
    private final Set<Digest> keepBlobs = new HashSet<>();
    private final Map<Doomed.Kind, Integer> deleted = new EnumMap<>(Doomed.Kind.class);
    private final List<String> warnings = new ArrayList<>();
    private int manifestsMarked;
    private int spared;
    private int deferred;
    private long bytesFreed;
    private boolean complete = true;
    private String error;

    Run(GcOptions options, GcEvents events, CollectorFence fence, CollectorLock lock) {
      this.options = options;
      this.events = events;
      this.fence = fence;
      this.lock = lock;
      this.cutoff = started.minus(options.gracePeriod()).minus(store.mtimeStep());
      this.retention = new RetentionRules(options.retention());
    }

    GcReport execute() {
      List<RepositoryName> repositories = store.repositories();
      for (RepositoryName repo : repositories) {
        if (outOfTime()) {
          break;
        }
        sweepRepository(repo);
        if (lock != null) {
          lock.refresh();
        }
      }
      if (complete && error == null) {
        sweepBlobs();
      } else if (error == null) {
        error = "some manifests could not be read, so no blob was deleted (see warnings)";
      }
      Instant finished = clock.instant();
      GcReport report = new GcReport(started, finished, options.dryRun(), repositories.size(), manifestsMarked,
          keepBlobs.size(), count(Doomed.Kind.MANIFEST), count(Doomed.Kind.BLOB), count(Doomed.Kind.LAYER_LINK),
          count(Doomed.Kind.TAG), count(Doomed.Kind.UPLOAD), bytesFreed, spared, deferred, warnings, error);
      LOG.info("garbage collection {}: {} repositories, {} manifests and {} blobs marked; deleted {} manifests, {} blobs"
              + " ({} bytes), {} layer links, {} uploads; {} spared by concurrent writes, {} deferred{}",
          options.dryRun() ? "(dry run)" : "done", report.repositories(), report.manifestsMarked(), report.blobsMarked(),
          report.manifestsDeleted(), report.blobsDeleted(), report.bytesFreed(), report.layerLinksDeleted(),
          report.uploadsDeleted(), spared, deferred, error == null ? "" : "; " + error);
      return report;
    }

    private void sweepRepository(RepositoryName repo) {
      events.repository(repo);
      Map<Tag, Digest> tags = new LinkedHashMap<>(store.tags(repo));
      List<GcStore.Stored> revisions = store.revisions(repo);
      Optional<RegistryConfig.RetentionPolicy> policy = retention.policyFor(repo);
      List<Doomed> doomed = new ArrayList<>(droppedTags(repo, tags, policy));
      doomed.forEach(tag -> tags.remove(tag.tag()));
      boolean deleteUntagged = options.deleteUntagged() || policy.map(RegistryConfig.RetentionPolicy::deleteUntagged)
          .orElse(false);
      // a policy's untagged manifests are kept for the retention delay (never less than the grace period)
      Instant youngCutoff = policy.filter(RegistryConfig.RetentionPolicy::deleteUntagged)
          .map(p -> started.minus(max(options.retention().delay(), options.gracePeriod())).minus(store.mtimeStep()))
          .filter(policyCutoff -> !options.deleteUntagged())
          .orElse(cutoff);
      RepositoryMark.Result mark = RepositoryMark.mark(store, repo, tags.values(), revisions, !deleteUntagged,
          youngCutoff);
      warnings.addAll(mark.warnings());
      complete &= mark.complete();
      manifestsMarked += mark.liveManifests().size();
      mark.liveManifests().forEach(digest -> events.markedManifest(repo, digest));
      mark.liveBlobs().stream().filter(d -> !mark.liveManifests().contains(d)).forEach(d -> events.markedBlob(repo, d));
      keepBlobs.addAll(mark.liveBlobs());

      if (!mark.complete()) {
        doomed.clear(); // tags too: what a dropped tag's manifest references is unknown
      } else {
        for (GcStore.Stored revision : revisions) {
          if (!mark.liveManifests().contains(revision.digest()) && revision.modified().isBefore(cutoff)) {
            doomed.add(Doomed.manifest(repo, revision.digest()));
          }
        }
      }
      for (GcStore.Stored link : store.layerLinks(repo)) {
        if (mark.complete() && !mark.liveBlobs().contains(link.digest()) && link.modified().isBefore(cutoff)) {
          doomed.add(Doomed.layerLink(repo, link.digest()));
        } else {
          keepBlobs.add(link.digest()); // a young link: a push in progress (or a mount) will reference it
        }
      }
      Instant uploadCutoff = started.minus(options.uploadMaxAge());
      for (GcStore.Upload upload : store.uploads(repo)) {
        if (upload.modified().isBefore(uploadCutoff)) {
          doomed.add(Doomed.upload(repo, upload.id()));
        }
      }
      delete(doomed);
    }

    /** Tags the repository's retention policy does not keep, past the grace period since their last push. */
    private List<Doomed> droppedTags(RepositoryName repo, Map<Tag, Digest> tags,
        Optional<RegistryConfig.RetentionPolicy> policy) {
      if (policy.isEmpty() || policy.get().keepTags().isEmpty()) {
        return List.of();
      }
      List<RetentionRules.TagInfo> infos = new ArrayList<>();
      tags.forEach((tag, digest) -> infos.add(new RetentionRules.TagInfo(tag, digest, store.tagPushed(repo, tag),
          store.tagPulled(repo, tag))));
      return RetentionRules.dropped(policy.get(), infos, started).stream()
          .filter(tag -> tag.pushed().map(pushed -> pushed.isBefore(cutoff)).orElse(true))
          .map(tag -> Doomed.tag(repo, tag.tag(), tag.digest()))
          .toList();
    }

    private void sweepBlobs() {
      List<Doomed> batch = new ArrayList<>();
      store.forEachBlob(blob -> {
        if (!keepBlobs.contains(blob.digest()) && blob.modified().isBefore(cutoff)) {
          batch.add(Doomed.blob(blob.digest(), blob.size()));
          if (batch.size() >= BATCH) {
            delete(batch);
            batch.clear();
          }
        }
      });
      delete(batch);
    }

    /** Deletes through the fence, in batches; a dry run only reports. */
    private void delete(List<Doomed> items) {
      for (int from = 0; from < items.size(); from += BATCH) {
        List<Doomed> chunk = items.subList(from, Math.min(items.size(), from + BATCH));
        chunk.forEach(item -> events.eligible(item.kind().label, item.repo(), item.describe()));
        if (options.dryRun()) {
          chunk.forEach(this::counted);
          continue;
        }
        if (outOfTime()) {
          deferred += chunk.size();
          continue;
        }
        try (CollectorFence.Batch<Doomed> batch = fence.condemn(List.copyOf(chunk), Doomed::fenceKey)) {
          spared += batch.spared().size();
          if (deleteBlobsAtOnce(batch)) {
            continue;
          }
          for (Doomed item : batch.allowed()) {
            if (!batch.mayDelete()) {
              deferred++;
              continue;
            }
            if (item.deleteFrom(store)) {
              counted(item);
              events.deleted(item.kind().label, item.repo(), item.describe());
            }
          }
        }
        if (lock != null) {
          lock.refresh();
        }
      }
    }

    /**
     * A batch of nothing but blobs (the blob sweep's) goes in one call: on S3 a request per thousand instead of a
     * listing and a delete per blob. False, deleting nothing, for any other batch or once the lease is (nearly) over.
     */
    private boolean deleteBlobsAtOnce(CollectorFence.Batch<Doomed> batch) {
      if (batch.allowed().isEmpty() || !batch.allowed().stream().allMatch(item -> item.kind() == Doomed.Kind.BLOB)
          || !batch.mayDelete()) {
        return false;
      }
      store.deleteBlobs(batch.allowed().stream().map(Doomed::digest).toList());
      for (Doomed item : batch.allowed()) {
        counted(item);
        events.deleted(item.kind().label, item.repo(), item.describe());
      }
      return true;
    }

    private void counted(Doomed item) {
      deleted.merge(item.kind(), 1, Integer::sum);
      bytesFreed += item.size();
    }

    private int count(Doomed.Kind kind) {
      return deleted.getOrDefault(kind, 0);
    }

    private boolean outOfTime() {
      if (fence != null && fence.overRunLimit()) {
        if (error == null) {
          error = "stopped after " + timing.maxRun() + "; the rest is collected next run";
        }
        return true;
      }
      return false;
    }
  }
}
