package dev.berth.registry.storage;

import dev.berth.registry.testsupport.MutableClock;

import static dev.berth.registry.storage.Fixtures.ociManifest;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag lists served from memory stay exact: own writes at once, another writer's within the refresh interval. */
class TagListingTest {
  private static final RepositoryName APP = repo("team/app");
  private static final Duration REFRESH = Duration.ofSeconds(30);
  @TempDir Path root;
  /** Well after every file's mtime, so listings are not "racy" and are cached. */
  private final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofMinutes(1)));
  private FilesystemStorage storage;
  private Digest digest;

  @BeforeEach
  void setUp() {
    storage = new FilesystemStorage(root, clock, REFRESH);
    byte[] manifest = ociManifest(storage, APP, 3, "");
    digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
  }

  private Path tags() {
    return root.resolve("docker/registry/v2/repositories/team/app/_manifests/tags");
  }

  /** Writes a tag as registry:2 does: the tag's directory and its current link. */
  private void otherWriterTags(String tag) throws Exception {
    Path link = tags().resolve(tag).resolve("current/link");
    Files.createDirectories(link.getParent());
    Files.writeString(link, digest.toString());
  }

  @Test
  void ownPushesAndDeletesAreListedAtOnceInLexicalOrder() {
    List<String> expected = new ArrayList<>(List.of("v1"));
    assertThat(storage.tags(APP)).containsExactlyElementsOf(expected);
    for (String tag : List.of("b", "a", "V2", "10", "9", "latest")) {
      storage.putManifest(APP, tag, ManifestMediaTypes.OCI_MANIFEST, storage.manifest(APP, "v1").orElseThrow().content());
      expected.add(tag);
      assertThat(storage.tags(APP)).containsExactlyElementsOf(expected.stream().sorted().toList());
    }
    storage.deleteManifest(APP, "b");
    assertThat(storage.tags(APP)).containsExactly("10", "9", "V2", "a", "latest", "v1");
    storage.deleteManifest(APP, digest.toString());
    assertThat(storage.tags(APP)).isEmpty();
  }

  @Test
  void anotherWritersNewTagIsListedAtOnceSinceItChangesTheDirectory() throws Exception {
    assertThat(storage.tags(APP)).containsExactly("v1");
    otherWriterTags("theirs");
    // the directory's mtime moved; a change within the same timestamp tick is covered by the racy guard
    Files.setLastModifiedTime(tags(), java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(5)));
    assertThat(storage.tags(APP)).containsExactly("theirs", "v1");
  }

  @Test
  void aTagDirectoryWithoutItsCurrentLinkYetAppearsOnceTheLinkIsWritten() throws Exception {
    Files.createDirectories(tags().resolve("half/index"));
    assertThat(storage.tags(APP)).containsExactly("v1");
    Files.createDirectories(tags().resolve("half/current"));
    Files.writeString(tags().resolve("half/current/link"), digest.toString());
    assertThat(storage.tags(APP)).containsExactly("half", "v1");
  }

  @Test
  void aChangeTheDirectoryMtimeDoesNotShowIsListedAfterTheRefreshInterval() throws Exception {
    otherWriterTags("gone");
    assertThat(storage.tags(APP)).containsExactly("gone", "v1");
    // another writer drops the current link but leaves the directory: the tags directory's mtime stays
    Files.delete(tags().resolve("gone/current/link"));
    assertThat(storage.tags(APP)).as("served from memory inside the interval").containsExactly("gone", "v1");

    clock.advance(REFRESH);
    assertThat(storage.tags(APP)).containsExactly("v1");
  }

  @Test
  void aListingTakenRightAfterAChangeIsNotTrusted() throws Exception {
    MutableClock now = new MutableClock(Instant.now());
    FilesystemStorage fresh = new FilesystemStorage(root, now, REFRESH);
    otherWriterTags("gone");
    assertThat(fresh.tags(APP)).containsExactly("gone", "v1");
    Files.delete(tags().resolve("gone/current/link"));
    // the tags directory changed less than the timestamp granularity margin before the listing: read again
    assertThat(fresh.tags(APP)).containsExactly("v1");
  }
}
