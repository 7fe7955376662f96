package dev.berth.registry.gc;

import static dev.berth.registry.gc.GcFixtures.image;
import static dev.berth.registry.gc.GcFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention policies with push and pull times from an injected clock: what is kept, what goes, what a dry run lists. */
class RetentionTest {
  private static final RepositoryName CI = repo("ci/app");
  private static final RepositoryName PROD = repo("prod/app");
  private static final RegistryConfig.Retention RETENTION = new RegistryConfig.Retention(Duration.ofHours(24), List.of(
      new RegistryConfig.RetentionPolicy(List.of("ci/*"), true, List.of(
          new RegistryConfig.KeepTags(List.of("v\\d+\\.\\d+"), null, null, null),
          new RegistryConfig.KeepTags(List.of("dev-.*"), 2, null, null),
          new RegistryConfig.KeepTags(List.of(), null, null, Duration.ofHours(24))))));

  @TempDir Path root;
  private MutableClock clock;
  private FilesystemStorage storage;
  private LayoutGcStore gcStore;

  @BeforeEach
  void pushTagsOverThreeDays() {
    clock = new MutableClock(Instant.now());
    gcStore = LayoutGcStore.filesystem(root);
    storage = new FilesystemStorage(root, clock, Duration.ofSeconds(30), new MarkerFence(gcStore, GarbageCollectorTest.FAST));
    for (String tag : List.of("v1.0", "dev-1", "misc", "dev-2", "dev-3", "v2.0", "dev-4")) {
      image(storage, CI, tag, tag, "", "layer-" + tag);
      image(storage, PROD, tag, tag, "", "prod-layer-" + tag);
      clock.advance(Duration.ofHours(10));
    }
    clock.advance(Duration.ofHours(10));
    storage.manifest(CI, "dev-2"); // pulled: kept by the pulledWithin rule
    clock.advance(Duration.ofHours(2));
  }

  @Test
  void keepsWhatARuleKeepsAndDeletesTheRestWithTheirManifests() {
    GcReport report = collect(GcOptions.defaults().withRetention(RETENTION));

    assertThat(storage.tags(CI)).containsExactly("dev-2", "dev-3", "dev-4", "v1.0", "v2.0");
    assertThat(storage.tags(PROD)).as("no policy matches: everything kept").hasSize(7);
    assertThat(report.tagsDeleted()).isEqualTo(2);
    assertThat(report.manifestsDeleted()).as("the dropped tags' manifests, untagged past the delay").isEqualTo(2);
    assertThat(report.blobsDeleted()).isPositive();
  }

  @Test
  void aDryRunListsWhatWouldGo() {
    List<String> eligible = new ArrayList<>();
    GcEvents events = new GcEvents() {
      @Override
      public void eligible(String kind, RepositoryName repo, String what) {
        eligible.add(kind + " " + repo + " " + what.split(" ")[0]);
      }
    };
    GcReport report = new GarbageCollector(gcStore, GarbageCollectorTest.FAST, clock)
        .run(GcOptions.defaults().withRetention(RETENTION).withDryRun(true), events).orElseThrow();

    assertThat(eligible).contains("tag ci/app dev-1", "tag ci/app misc");
    assertThat(report.tagsDeleted()).isEqualTo(2);
    assertThat(storage.tags(CI)).hasSize(7);
  }

  @Test
  void untaggedManifestsAreKeptForTheDelay() {
    RegistryConfig.Retention longDelay = new RegistryConfig.Retention(Duration.ofDays(30), RETENTION.policies());
    GcReport report = collect(GcOptions.defaults().withRetention(longDelay));

    assertThat(report.tagsDeleted()).isEqualTo(2);
    assertThat(report.manifestsDeleted()).as("younger than the 30-day delay").isZero();
  }

  private GcReport collect(GcOptions options) {
    return new GarbageCollector(gcStore, GarbageCollectorTest.FAST, clock).run(options, GcEvents.NONE).orElseThrow();
  }
}
