package dev.berth.registry.gc;

import static dev.berth.registry.gc.GcFixtures.bytes;
import static dev.berth.registry.gc.GcFixtures.image;
import static dev.berth.registry.gc.GcFixtures.pushBlob;
import static dev.berth.registry.gc.GcFixtures.repo;
import static dev.berth.registry.gc.GcFixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.storage.StorageBackend;
import dev.berth.registry.storage.StorageLayout;
import dev.berth.registry.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mark and sweep on a filesystem root and on an S3 bucket (s3proxy; its objects are files, so both are inspected the
 * same way), with the grace period read from an injected clock.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"filesystem", "s3"})
class GarbageCollectorTest {
  static final FenceTiming FAST = new FenceTiming(Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofMinutes(5));
  /** A writer must look and commit within half the window: a bucket's LIST takes longer than a directory's. */
  static final FenceTiming FAST_S3 = new FenceTiming(Duration.ofMillis(600), Duration.ofSeconds(5),
      Duration.ofMinutes(5));
  private static final RepositoryName APP = repo("team/app");

  @Parameter String medium;
  private LayoutGcStore gcStore;
  private DriverStorage storage;
  private FenceTiming timing;
  private StorageLayout layout;
  /** Two hours ahead of the files' real mtimes: everything written by the test is past a 1h grace period. */
  private MutableClock later;

  @BeforeEach
  void setUp() {
    StorageBackend backend = StorageBackend.named(medium);
    timing = backend.isObjectStore() ? FAST_S3 : FAST;
    storage = backend.open(files -> new MarkerFence(new LayoutGcStore(files), timing));
    gcStore = new LayoutGcStore(storage.files());
    layout = new StorageLayout(backend.root());
    later = new MutableClock(Instant.now().plus(Duration.ofHours(2)));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private GcReport collect(GcOptions options) {
    return new GarbageCollector(gcStore, timing, later).run(options, GcEvents.NONE).orElseThrow();
  }

  @Test
  void keepsEveryManifestAndItsBlobsAndDeletesWhatNothingReferences() {
    GcFixtures.Image tagged = image(storage, APP, "a", "v1", "", "base", "a-top");
    GcFixtures.Image untagged = image(storage, APP, "b", null, "", "base", "b-top");
    GcFixtures.Image deleted = image(storage, APP, "c", "v3", "", "base", "c-top");
    Digest orphan = pushBlob(storage, APP, bytes("never referenced"));
    storage.deleteManifest(APP, deleted.manifest().toString());

    GcReport report = collect(GcOptions.defaults());

    assertThat(blobs()).containsAll(tagged.blobs()).containsAll(untagged.blobs())
        .contains(tagged.manifest(), untagged.manifest())
        .doesNotContain(orphan, deleted.manifest(), deleted.config(), deleted.layers().get(1));
    assertThat(report.blobsDeleted()).isEqualTo(4);
    assertThat(report.bytesFreed()).isEqualTo(bytes("never referenced").length + deleted.bytes().length
        + sizeOfConfig("c") + bytes("c-top").length);
    assertThat(report.manifestsDeleted()).isZero();
    assertThat(Files.exists(layout.layerLink(APP, orphan))).as("unreferenced link swept").isFalse();
    assertThat(Files.exists(layout.layerLink(APP, tagged.layers().get(0)))).isTrue();
    assertThat(storage.manifest(APP, "v1")).isPresent();
    assertThat(storage.manifest(APP, untagged.manifest().toString())).isPresent();
    assertThat(report.complete()).isTrue();
  }

  @Test
  void nothingYoungerThanTheGracePeriodIsDeleted() {
    image(storage, APP, "c", "v3", "", "c-top");
    storage.deleteManifest(APP, "v3");
    pushBlob(storage, APP, bytes("fresh orphan"));
    Set<Digest> before = blobs();

    MutableClock now = new MutableClock(Instant.now());
    GcReport report = new GarbageCollector(gcStore, timing, now).run(GcOptions.defaults(), GcEvents.NONE).orElseThrow();

    assertThat(report.blobsDeleted()).isZero();
    assertThat(blobs()).isEqualTo(before);
    now.advance(Duration.ofMinutes(61));
    GcReport afterGrace = new GarbageCollector(gcStore, timing, now).run(GcOptions.defaults(), GcEvents.NONE).orElseThrow();
    assertThat(afterGrace.blobsDeleted()).as("untagged manifest kept without deleteUntagged; the orphan goes").isEqualTo(1);
  }

  @Test
  void deleteUntaggedKeepsIndexChildrenAndReferrersOfLiveManifests() {
    GcFixtures.Image amd = image(storage, APP, "amd", null, "", "amd-layer");
    GcFixtures.Image arm = image(storage, APP, "arm", null, "", "arm-layer");
    Digest index = GcFixtures.index(storage, APP, "multi", List.of(amd, arm));
    GcFixtures.Image live = image(storage, APP, "live", "v1", "", "live-layer");
    GcFixtures.Image sbom = image(storage, APP, "sbom", null, subject(live), "sbom-layer");
    GcFixtures.Image signatureOfSbom = image(storage, APP, "sig", null, subject(sbom), "sig-layer");
    GcFixtures.Image dead = image(storage, APP, "dead", null, "", "dead-layer");
    GcFixtures.Image sbomOfDead = image(storage, APP, "dead-sbom", null, subject(dead), "dead-sbom-layer");

    GcReport report = collect(GcOptions.defaults().withDeleteUntagged(true));

    for (GcFixtures.Image kept : List.of(amd, arm, live, sbom, signatureOfSbom)) {
      assertThat(storage.manifest(APP, kept.manifest().toString())).as("kept " + kept.config()).isPresent();
      assertThat(blobs()).containsAll(kept.blobs());
    }
    assertThat(storage.manifest(APP, index.toString())).isPresent();
    assertThat(storage.manifest(APP, dead.manifest().toString())).isEmpty();
    assertThat(storage.manifest(APP, sbomOfDead.manifest().toString())).isEmpty();
    assertThat(blobs()).doesNotContainAnyElementsOf(dead.blobs()).doesNotContainAnyElementsOf(sbomOfDead.blobs());
    assertThat(storage.referrers(APP, live.manifest())).hasSize(1);
    assertThat(report.manifestsDeleted()).isEqualTo(2);
    assertThat(report.manifestsMarked()).isEqualTo(6);
  }

  @Test
  void aDryRunReportsTheSameAndDeletesNothing() {
    image(storage, APP, "c", "v3", "", "c-top");
    storage.deleteManifest(APP, "v3");
    image(storage, APP, "u", null, "", "u-top");
    Set<Digest> before = blobs();

    GcReport dry = collect(GcOptions.defaults().withDeleteUntagged(true).withDryRun(true));
    assertThat(blobs()).isEqualTo(before);
    assertThat(gcStore.listMarkers("gc/")).as("a dry run writes no markers").isEmpty();

    GcReport real = collect(GcOptions.defaults().withDeleteUntagged(true));
    assertThat(dry.dryRun()).isTrue();
    assertThat(List.of(dry.blobsDeleted(), dry.manifestsDeleted(), dry.layerLinksDeleted()))
        .isEqualTo(List.of(real.blobsDeleted(), real.manifestsDeleted(), real.layerLinksDeleted()));
    assertThat(dry.bytesFreed()).isEqualTo(real.bytesFreed()).isPositive();
  }

  @Test
  void staleUploadsAreRemovedAndLiveOnesKept() {
    image(storage, APP, "a", "v1", "", "a-top"); // uploads are found in repositories (a bare one is the sweeper's)
    storage.startUpload(APP);
    GcReport fresh = new GarbageCollector(gcStore, timing, new MutableClock(Instant.now()))
        .run(GcOptions.defaults(), GcEvents.NONE).orElseThrow();
    assertThat(fresh.uploadsDeleted()).isZero();
    later.advance(Duration.ofHours(23));
    assertThat(collect(GcOptions.defaults()).uploadsDeleted()).isEqualTo(1);
    assertThat(gcStore.uploads(APP)).isEmpty();
  }

  @Test
  void anUnreadableManifestStopsTheBlobSweep() throws Exception {
    GcFixtures.Image image = image(storage, APP, "a", "v1", "", "a-top");
    Digest orphan = pushBlob(storage, APP, bytes("orphan"));
    Files.writeString(layout.blobData(image.manifest()), "not json");

    GcReport report = collect(GcOptions.defaults());

    assertThat(report.complete()).isFalse();
    assertThat(report.error()).contains("no blob was deleted");
    assertThat(report.warnings()).anyMatch(w -> w.contains(image.manifest().toString()));
    assertThat(blobs()).contains(orphan).containsAll(image.blobs());
  }

  @Test
  void aSecondCollectorWaitsForTheLockAndAStaleLockIsTakenOver() {
    assertThat(gcStore.createMarker(FenceMarkers.LOCK, bytes("someone"))).isTrue();
    MutableClock now = new MutableClock(Instant.now());
    assertThat(new GarbageCollector(gcStore, timing, now).run(GcOptions.defaults(), GcEvents.NONE)).isEmpty();
    now.advance(timing.condemnedLease().multipliedBy(5));
    assertThat(new GarbageCollector(gcStore, timing, now).run(GcOptions.defaults(), GcEvents.NONE)).isPresent();
    assertThat(gcStore.readMarker(FenceMarkers.LOCK)).as("released after the run").isEmpty();
  }

  private long sizeOfConfig(String id) {
    return bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + id + "\"}").length;
  }

  private Set<Digest> blobs() {
    Set<Digest> all = new HashSet<>();
    gcStore.forEachBlob(blob -> all.add(blob.digest()));
    return all;
  }
}
