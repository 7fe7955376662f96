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
  void nestedNamesAreListedSortedAndBlobOnlyRepositoriesAreNot() {
    for (String name : List.of("zeta", "a", "a/b", "a/b/c", "a-b", "team/x", "team/y/z")) {
      image(name);
    }
    Fixtures.pushBlob(storage, repo("blobs/only"), new byte[] {1});
    storage.startUpload(repo("uploading"));

    assertThat(storage.repositories(null, 100))
        .containsExactly("a", "a-b", "a/b", "a/b/c", "team/x", "team/y/z", "zeta");
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
}
