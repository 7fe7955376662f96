package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.auth.CallerAccess;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.FilesystemStorage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's JSON API on real filesystem storage, without a socket: counts, sizes, push times, config, referrers, ACL. */
class RepositoryBrowserTest {

  @TempDir Path root;
  private FilesystemStorage storage;
  private RepositoryBrowser browser;
  private SampleImages.Pushed amd64;
  private SampleImages.Pushed arm64;
  private String indexDigest;
  private int indexSize;


  /** A caller who may pull the repositories named, and delete in those of {@code deletable}. */
  private static CallerAccess.Known caller(Set<String> pullable, Set<String> deletable) {
    return new CallerAccess.Known("alice", (repo, action) -> switch (action) {
      case "pull" -> pullable.contains(repo);
      case "delete" -> deletable.contains(repo);
      default -> false;
    });
  }

  @BeforeEach
  void push() {
    storage = new FilesystemStorage(root);
    browser = new RepositoryBrowser(storage, true);
    SampleImages images = new SampleImages(storage);
    RepositoryName app = RepositoryName.parse("team-a/app");
    amd64 = images.image(app, "v1", "amd64", "layer one of amd64");
    arm64 = images.image(app, null, "arm64", "layer one of arm64, a little longer");
    SampleImages.Pushed index = images.index(app, "multi", amd64, arm64);
    indexDigest = index.digest();
    indexSize = (int) index.manifestSize();
    images.sbom(app, amd64);
    images.image(RepositoryName.parse("team-b/tool"), "latest", "amd64", "tool layer");
  }

  @Test
  void listsOnlyPullableRepositoriesWithTagCountsFilteredBySearch() {
    RepositoryBrowser.RepositoryList all = browser.repositories(caller(Set.of("team-a/app", "team-b/tool"), Set.of()), "");
    assertThat(all.repositories()).containsExactly(new RepositoryBrowser.RepositorySummary("team-a/app", 2),
        new RepositoryBrowser.RepositorySummary("team-b/tool", 1));
    assertThat(browser.repositories(caller(Set.of("team-a/app", "team-b/tool"), Set.of()), "TOOL").repositories())
        .extracting(RepositoryBrowser.RepositorySummary::name).containsExactly("team-b/tool");
    assertThat(browser.repositories(caller(Set.of("team-a/app"), Set.of()), "").repositories())
        .extracting(RepositoryBrowser.RepositorySummary::name).containsExactly("team-a/app");
    assertThat(browser.repositories(caller(Set.of(), Set.of()), "").repositories()).isEmpty();
  }

  @Test
  void tagsCarryPushTimeAndTotalSizeAndTheDeletePermission() {
    Instant before = Instant.now().minusSeconds(60);
    RepositoryBrowser.TagList tags = browser.tags(caller(Set.of("team-a/app"), Set.of("team-a/app")),
        RepositoryName.parse("team-a/app"), null);
    assertThat(tags.permissions().delete()).isTrue();
    assertThat(tags.tags()).extracting(RepositoryBrowser.TagSummary::name).containsExactly("multi", "v1");
    RepositoryBrowser.TagSummary multi = tags.tags().get(0);
    RepositoryBrowser.TagSummary v1 = tags.tags().get(1);
    assertThat(v1.digest()).isEqualTo(amd64.digest());
    assertThat(v1.size()).isEqualTo(amd64.totalSize());
    assertThat(multi.size()).isEqualTo(indexSize + amd64.totalSize() + arm64.totalSize());
    assertThat(Instant.parse(v1.pushed())).isAfter(before).isBefore(Instant.now().plusSeconds(1));

    RepositoryBrowser.TagList readOnly = new RepositoryBrowser(storage, false)
        .tags(caller(Set.of("team-a/app"), Set.of("team-a/app")), RepositoryName.parse("team-a/app"), null);
    assertThat(readOnly.permissions().delete()).as("storage.delete.enabled off").isFalse();
    assertThat(browser.tags(caller(Set.of("team-a/app"), Set.of()), RepositoryName.parse("team-a/app"), null)
        .permissions().delete()).isFalse();
  }

  @Test
  void aRepositoryOfManyTagsListsAtMostTheCapInNameOrderAndTheSearchNarrowsIt() {
    RepositoryName app = RepositoryName.parse("team-a/app");
    var v1 = storage.manifest(app, "v1").orElseThrow();
    for (int i = 0; i < RepositoryBrowser.MAX_TAGS + 5; i++) {
      storage.putManifest(app, String.format("build-%03d", i), v1.mediaType(), v1.content());
    }
    CallerAccess.Known alice = caller(Set.of("team-a/app"), Set.of());

    RepositoryBrowser.TagList all = browser.tags(alice, app, null);
    assertThat(all.tags()).hasSize(RepositoryBrowser.MAX_TAGS);
    assertThat(all.truncated()).isTrue();
    assertThat(all.tags().get(0).name()).isEqualTo("build-000");
    assertThat(all.tags().get(RepositoryBrowser.MAX_TAGS - 1).name())
        .isEqualTo(String.format("build-%03d", RepositoryBrowser.MAX_TAGS - 1));

    RepositoryBrowser.TagList narrowed = browser.tags(alice, app, " BUILD-20");
    assertThat(narrowed.tags()).extracting(RepositoryBrowser.TagSummary::name)
        .containsExactly("build-200", "build-201", "build-202", "build-203", "build-204");
    assertThat(narrowed.truncated()).isFalse();
    assertThat(narrowed.query()).isEqualTo("build-20");
    assertThat(browser.tags(alice, app, "v1").tags()).extracting(RepositoryBrowser.TagSummary::name)
        .containsExactly("v1");
  }

  @Test
  void anImagePageHasItsConfigLayersAndReferrers() {
    RepositoryBrowser.ManifestView view = browser.manifest(caller(Set.of("team-a/app"), Set.of()),
        RepositoryName.parse("team-a/app"), "v1");
    assertThat(view.kind()).isEqualTo("image");
    assertThat(view.image().created()).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(view.image().entrypoint()).containsExactly("/bin/app");
    assertThat(view.image().cmd()).containsExactly("--serve");
    assertThat(view.image().labels()).containsEntry("team", "a");
    assertThat(view.layers()).hasSize(1);
    assertThat(view.layers().get(0).size()).isEqualTo("layer one of amd64".length());
    assertThat(view.referrers()).singleElement().satisfies(r -> assertThat(r.artifactType())
        .isEqualTo("application/spdx+json"));
  }

  @Test
  void anIndexPageListsItsPlatformsWithSizes() {
    RepositoryBrowser.ManifestView view = browser.manifest(caller(Set.of("team-a/app"), Set.of()),
        RepositoryName.parse("team-a/app"), "multi");
    assertThat(view.kind()).isEqualTo("index");
    assertThat(view.digest()).isEqualTo(indexDigest);
    assertThat(view.annotations()).containsEntry("org.opencontainers.image.source", "https://example.com/app");
    assertThat(view.platforms()).extracting(RepositoryBrowser.PlatformEntry::architecture)
        .containsExactly("amd64", "arm64");
    assertThat(view.platforms().get(1).variant()).isEqualTo("v8");
    assertThat(view.platforms().get(1).size()).isEqualTo(arm64.totalSize());
  }

  @Test
  void aRepositoryTheCallerMayNotPullIsDeniedAndUnknownsAreErrors() {
    assertThatThrownBy(() -> browser.tags(caller(Set.of("team-b/tool"), Set.of()), RepositoryName.parse("team-a/app"),
        null))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DENIED));
    assertThatThrownBy(() -> browser.manifest(caller(Set.of("team-b/tool"), Set.of()), RepositoryName.parse("team-a/app"), "v1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DENIED));
    assertThatThrownBy(() -> browser.manifest(caller(Set.of("team-a/app"), Set.of()), RepositoryName.parse("team-a/app"), "nope"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN));
    assertThatThrownBy(() -> browser.manifest(caller(Set.of("team-a/app"), Set.of()), RepositoryName.parse("team-a/app"), "b@d"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TAG_INVALID));
  }
}
