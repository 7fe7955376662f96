package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.MutableClock;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction of the pull-through cache: a retention policy on the cache's namespace keeps the tags pulled within a
 * week, so the collector removes what nobody pulled (tag, manifest, blobs) and keeps what is in use; an evicted image
 * is fetched again on its next pull. Push and pull times come from the injected clock.
 */
class CacheEvictionTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final RegistryConfig.Retention EVICT_UNPULLED = new RegistryConfig.Retention(Duration.ofHours(1),
      List.of(new RegistryConfig.RetentionPolicy(List.of("dockerhub/*"), true,
          List.of(new RegistryConfig.KeepTags(List.of(), null, null, WEEK)))));

  @TempDir Path temp;

  @Test
  void cachedImagesNotPulledForAWeekAreCollectedAndFetchedAgainOnTheNextPull() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 31);
    OciImage stale = factory.addImage("stale", 200_000, 30_000);
    OciImage used = factory.addImage("used", 150_000);
    Path root = temp.resolve("cache-root");
    MutableClock clock = new MutableClock(Instant.now());
    LayoutGcStore gcStore = LayoutGcStore.filesystem(root);
    try (BerthRegistry upstream = BerthRegistry.start(temp.resolve("upstream-root"));
        BerthRegistry cache = BerthRegistry.start(BerthConfigs.loopback(root, 0).withProxy(new RegistryConfig.Proxy(
            List.of(new RegistryConfig.Upstream("dockerhub", URI.create("http://" + upstream.hostPort()), "docker.io",
                RegistryConfig.UpstreamCredentials.ANONYMOUS, null, Duration.ofMinutes(10), null)))),
            new MarkerFence(gcStore, GarbageCollectorTest.FAST), clock)) {
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "stale"), Skopeo.docker(upstream.hostPort(), "library/stale", "1"),
          CopyOption.PRESERVE_DIGESTS);
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "used"), Skopeo.docker(upstream.hostPort(), "library/used", "1"),
          CopyOption.PRESERVE_DIGESTS);
      pull(skopeo, cache, "dockerhub/stale", stale, "first-stale");
      pull(skopeo, cache, "dockerhub/used", used, "first-used");

      clock.advance(WEEK.plusDays(1));
      pull(skopeo, cache, "dockerhub/used", used, "again-used"); // in use: its pull time moves on
      clock.advance(Duration.ofHours(2)); // past the retention delay for untagged manifests

      GcReport report = new GarbageCollector(gcStore, GarbageCollectorTest.FAST, clock)
          .run(GcOptions.defaults().withRetention(EVICT_UNPULLED), GcEvents.NONE).orElseThrow();

      DistributionLayout layout = new DistributionLayout(root);
      assertThat(report.tagsDeleted()).as("only the tag nobody pulled for a week").isEqualTo(1);
      assertThat(report.manifestsDeleted()).isEqualTo(1);
      java.util.Set<Digest> staleOnly = new java.util.HashSet<>(stale.allDigests());
      staleOnly.removeAll(used.allDigests());
      assertThat(staleOnly).contains(stale.manifest()).containsAll(stale.layers());
      for (Digest blob : staleOnly) {
        assertThat(Files.exists(layout.blobData(blob))).as("evicted %s", blob).isFalse();
      }
      for (Digest blob : used.allDigests()) {
        assertThat(Files.exists(layout.blobData(blob))).as("kept %s", blob).isTrue();
      }
      pull(skopeo, cache, "dockerhub/used", used, "after-gc-used");
      pull(skopeo, cache, "dockerhub/stale", stale, "refetched-stale");
      for (Digest blob : stale.allDigests()) {
        assertThat(Files.exists(layout.blobData(blob))).as("cached again %s", blob).isTrue();
      }
    }
  }

  private void pull(Skopeo skopeo, BerthRegistry cache, String repository, OciImage expected, String label) {
    Path layout = temp.resolve("pulled-" + label);
    skopeo.copy(Skopeo.docker(cache.hostPort(), repository, "1"), Skopeo.oci(layout, "pulled"),
        CopyOption.PRESERVE_DIGESTS);
    new OciLayout(layout).assertHoldsExactly("pulled", expected.manifest(), expected.allDigests());
  }
}
