package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.ReferenceRegistry;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth and registry:2 serving one root at the same time: Berth lists its own pushes at once and the other writer's
 * new repositories and tags within {@code storage.listings.refresh} (plus one scan).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ListingFreshnessTest {
  private static final Duration REFRESH = Duration.ofSeconds(1);
  @TempDir Path temp;

  @Test
  void ownPushesAreListedAtOnceAndTheOtherWritersWithinTheRefreshInterval() {
    Skopeo skopeo = Skopeo.require(temp);
    Path root = temp.resolve("registry-root");
    Path source = temp.resolve("source");
    OciImageFactory factory = new OciImageFactory(source, 5);
    factory.addImage("one", 20_000);
    factory.addImage("two", 30_000);
    RegistryConfig loopback = BerthConfigs.loopback(root, 0);
    RegistryConfig config = new RegistryConfig(loopback.log(), loopback.http(),
        new RegistryConfig.Storage(root, true, false, REFRESH), loopback.auth());

    try (BerthRegistry berth = BerthRegistry.start(config);
        ReferenceRegistry reference = ReferenceRegistry.start(root, temp)) {
      RegistryHttp berthHttp = new RegistryHttp(berth.hostPort());
      assertThat(berthHttp.catalog()).isEmpty();

      copy(skopeo, source, "one", berth.hostPort(), "ours/app", "1");
      assertThat(berthHttp.catalog()).as("Berth's own push, listed without waiting").containsExactly("ours/app");
      assertThat(berthHttp.tags("ours/app")).containsExactly("1");

      copy(skopeo, source, "two", reference.hostPort(), "theirs/app", "1");
      copy(skopeo, source, "two", reference.hostPort(), "ours/app", "2");
      // bounded by the refresh interval plus a generous allowance for one scan of this small root on a loaded machine
      await().atMost(REFRESH.plusSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        assertThat(berthHttp.catalog()).containsExactly("ours/app", "theirs/app");
        assertThat(berthHttp.tags("ours/app")).containsExactly("1", "2");
      });
      assertThat(berthHttp.tags("theirs/app")).containsExactly("1");
    }
  }

  private void copy(Skopeo skopeo, Path source, String sourceTag, String hostPort, String repo, String tag) {
    skopeo.copy(Skopeo.oci(source, sourceTag), Skopeo.docker(hostPort, repo, tag), CopyOption.ALL,
        CopyOption.PRESERVE_DIGESTS);
  }
}
