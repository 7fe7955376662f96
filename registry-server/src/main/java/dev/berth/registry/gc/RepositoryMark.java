package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import dev.berth.registry.oci.ParsedManifest;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mark of one repository. Roots: every revision, or with deleteUntagged the tagged ones plus untagged ones younger
 * than the grace period. From the roots: the children of every live index, and every referrer whose subject is live
 * (signatures, SBOMs, attestations), until nothing is added. Live blobs: the live manifests themselves and every
 * config and layer they name. A revision that cannot be parsed makes the mark incomplete: its references are unknown,
 * so the collector then deletes nothing this repository might need (fail closed).
 */
final class RepositoryMark {
  record Result(Set<Digest> liveManifests, Set<Digest> liveBlobs, boolean complete, List<String> warnings) {}

  private final GcStore store;
  private final RepositoryName repo;
  private final Map<Digest, Optional<ParsedManifest>> parsed = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean complete = true;

  private RepositoryMark(GcStore store, RepositoryName repo) {
    this.store = store;
    this.repo = repo;
  }

  /**
   * @param tagged      the manifests the kept tags point at
   * @param revisions   the repository's revisions
   * @param allRoots    every revision is a root (deleteUntagged off)
   * @param youngCutoff untagged revisions written at or after this are roots too
   */
  static Result mark(GcStore store, RepositoryName repo, Collection<Digest> tagged, List<GcStore.Stored> revisions,
      boolean allRoots, Instant youngCutoff) {
    return new RepositoryMark(store, repo).run(tagged, revisions, allRoots, youngCutoff);
  }

  private Result run(Collection<Digest> tagged, List<GcStore.Stored> revisions, boolean allRoots, Instant youngCutoff) {
    Deque<Digest> queue = new ArrayDeque<>(tagged);
    Map<Digest, List<Digest>> referrersBySubject = new HashMap<>();
    for (GcStore.Stored revision : revisions) {
      if (allRoots || !revision.modified().isBefore(youngCutoff)) {
        queue.add(revision.digest());
      }
      parse(revision.digest()).flatMap(ParsedManifest::subject).ifPresent(subject ->
          referrersBySubject.computeIfAbsent(subject.digest(), s -> new ArrayList<>()).add(revision.digest()));
    }
    Set<Digest> liveManifests = new LinkedHashSet<>();
    Set<Digest> liveBlobs = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      Digest digest = queue.poll();
      if (!liveManifests.add(digest)) {
        continue;
      }
      liveBlobs.add(digest);
      parse(digest).ifPresent(manifest -> {
        liveBlobs.addAll(manifest.requiredBlobs());
        queue.addAll(manifest.requiredManifests());
      });
      queue.addAll(referrersBySubject.getOrDefault(digest, List.of()));
    }
    return new Result(liveManifests, liveBlobs, complete, warnings);
  }

  private Optional<ParsedManifest> parse(Digest digest) {
    return parsed.computeIfAbsent(digest, d -> {
      Optional<byte[]> content;
      try {
        content = store.readManifest(d);
      } catch (IllegalStateException e) {
        return unreadable(d, e.getMessage());
      }
      if (content.isEmpty()) {
        return Optional.empty(); // a link to a missing blob: nothing can be pulled through it, nothing to keep
      }
      try {
        return Optional.of(ManifestParser.parse(ManifestParser.inferMediaType(content.get()), content.get()));
      } catch (RegistryException e) {
        return unreadable(d, e.getMessage());
      }
    });
  }

  private Optional<ParsedManifest> unreadable(Digest digest, String why) {
    complete = false;
    warnings.add(repo + ": cannot read manifest " + digest + " (" + why + "); its blobs are kept and no blob is deleted");
    return Optional.empty();
  }
}
