package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.ManifestMediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryCatalogTest {
  @TempDir Path root;
  private FilesystemStorage storage;

  @BeforeEach
  void setUp() {
    storage = new FilesystemStorage(root);
  }

  private void image(String name) {
    var repo = repo(name);
    storage.putManifest(repo, "v1", ManifestMediaTypes.OCI_MANIFEST, Fixtures.ociManifest(storage, repo, name.hashCode(), ""));
  }

  @Test
  void emptyRootHasNoRepositories() {
    assertThat(storage.repositories(null, 100)).isEmpty();
  }

  @Test
  void nestedNamesAreListedSortedWithBlobOnlyOnesButNotUploadOnlyOnes() {
    for (String name : List.of("zeta", "a", "a/b", "a/b/c", "a-b", "team/x", "team/y/z")) {
      image(name);
    }
    Fixtures.pushBlob(storage, repo("blobs/only"), new byte[] {1});
    storage.startUpload(repo("uploading"));

    // registry:2 counts a directory holding _layers: a repository that so far received only a blob is listed
    assertThat(storage.repositories(null, 100))
        .containsExactly("a", "a-b", "a/b", "a/b/c", "blobs/only", "team/x", "team/y/z", "zeta");
    assertThat(new FilesystemStorage(root).repositories(null, 100)).as("read from disk by a fresh server")
        .containsExactly("a", "a-b", "a/b", "a/b/c", "blobs/only", "team/x", "team/y/z", "zeta");
  }

  @Test
  void whatThisServerWritesIsListedAtOnce() {
    image("first");
    assertThat(storage.repositories(null, 100)).containsExactly("first");

    image("second");
    var blob = Fixtures.pushBlob(storage, repo("pushed/blob"), new byte[] {2});
    assertThat(storage.mountBlob(repo("mounted/only"), repo("pushed/blob"), blob)).isTrue();

    assertThat(storage.repositories(null, 100)).containsExactly("first", "mounted/only", "pushed/blob", "second");
  }

  @Test
  void whatAnotherWriterCreatesOrRemovesIsListedAfterARefresh() throws Exception {
    image("ours");
    assertThat(storage.repositories(null, 100)).containsExactly("ours");
    Path repositories = root.resolve("docker/registry/v2/repositories");
    Files.createDirectories(repositories.resolve("theirs/app/_layers"));
    Files.createDirectories(repositories.resolve("theirs/tagged/_manifests"));

    assertThat(storage.repositories(null, 100)).as("the in-memory catalog until the next refresh").containsExactly("ours");
    storage.refreshListings();
    assertThat(storage.repositories(null, 100)).containsExactly("ours", "theirs/app", "theirs/tagged");

    DurableFiles.deleteTree(repositories.resolve("theirs"));
    storage.refreshListings();
    assertThat(storage.repositories(null, 100)).containsExactly("ours");
  }

  @Test
  void aLongCatalogIsPagedInOrderWithoutGapsOrRepeats() {
    java.util.TreeSet<String> expected = new java.util.TreeSet<>();
    for (int i = 0; i < 300; i++) {
      String name = "r" + (i * 7919 % 1000) + "/x";
      Fixtures.pushBlob(storage, repo(name), new byte[] {(byte) i});
      expected.add(name);
    }
    List<String> walked = new java.util.ArrayList<>();
    String last = null;
    for (int page = 0; page < 100; page++) {
      List<String> names = storage.repositories(last, 7);
      if (names.isEmpty()) {
        break;
      }
      walked.addAll(names);
      last = names.get(names.size() - 1);
    }
    assertThat(walked).containsExactlyElementsOf(expected);
  }

  @Test
  void pagesFollowLastExclusivelyAndHonourTheLimit() {
    for (String name : List.of("d", "b", "a", "c", "e/f")) {
      image(name);
    }
    assertThat(storage.repositories(null, 2)).containsExactly("a", "b");
    assertThat(storage.repositories("b", 2)).containsExactly("c", "d");
    assertThat(storage.repositories("d", 2)).containsExactly("e/f");
    assertThat(storage.repositories("e/f", 2)).isEmpty();
    assertThat(storage.repositories("bb", 1)).containsExactly("c");
    assertThat(storage.repositories(null, 0)).isEmpty();
    assertThatThrownBy(() -> storage.repositories(null, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void directoriesNoClientCouldCreateAreIgnored() throws Exception {
    image("good");
    Files.createDirectories(root.resolve("docker/registry/v2/repositories/BAD/_manifests"));
    Files.createDirectories(root.resolve("docker/registry/v2/repositories/_manifests"));
    assertThat(storage.repositories(null, 10)).containsExactly("good");
  }

  @Test
  void aCatalogWhoseScanTakesLongIsReReadLessOften() {
    java.time.Duration interval = java.time.Duration.ofSeconds(30);
    assertThat(ListingRefresher.nextDelay(interval, java.time.Duration.ofSeconds(1))).isEqualTo(interval);
    assertThat(ListingRefresher.nextDelay(interval, java.time.Duration.ofSeconds(10)))
        .isEqualTo(java.time.Duration.ofSeconds(40));
  }

  @Test
  void filesAndTempFilesAmongRepositoriesAreNotDescendedInto() throws Exception {
    image("team/app");
    Path team = root.resolve("docker/registry/v2/repositories/team");
    Files.writeString(team.resolve("stray-file"), "x");
    Files.createDirectories(team.resolve(".berth-tmp-123/_layers"));
    assertThat(new FilesystemStorage(root).repositories(null, 10)).containsExactly("team/app");
  }
}
