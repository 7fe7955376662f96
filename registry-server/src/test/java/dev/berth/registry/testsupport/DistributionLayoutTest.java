package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionLayoutTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  private DistributionLayout layout;
  private Path repo;

  @BeforeEach
  void soundLayout() throws Exception {
    layout = new DistributionLayout(root);
    repo = layout.v2().resolve("repositories/team/app");
    writeBlob(MANIFEST);
    writeBlob(LAYER);
    link(repo.resolve("_layers/sha256/" + Digest.sha256(LAYER).hex() + "/link"), Digest.sha256(LAYER));
    link(repo.resolve("_manifests/revisions/sha256/" + Digest.sha256(MANIFEST).hex() + "/link"),
        Digest.sha256(MANIFEST));
    link(repo.resolve("_manifests/tags/v1/current/link"), Digest.sha256(MANIFEST));
  }

  @Test
  void aSoundLayoutHasNoProblemsAndListsItsTags() {
    assertThat(layout.consistencyProblems()).isEmpty();
    assertThat(layout.tagsByRepository()).isEqualTo(Map.of("team/app", List.of("v1")));
    assertThat(layout.taggedDigest("team/app", "v1")).isEqualTo(Digest.sha256(MANIFEST));
  }

  @Test
  void findsABlobWhoseBytesDoNotMatchItsName() throws Exception {
    Files.write(layout.blobData(Digest.sha256(LAYER)), "other bytes".getBytes(StandardCharsets.UTF_8));

    assertThat(layout.consistencyProblems()).singleElement().asString().contains(Digest.sha256(LAYER).toString());
  }

  @Test
  void findsATagWithoutRevisionAndALinkToAMissingBlob() throws Exception {
    Digest missing = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
    link(repo.resolve("_manifests/tags/v2/current/link"), missing);
    Files.delete(repo.resolve("_manifests/revisions/sha256/" + Digest.sha256(MANIFEST).hex() + "/link"));

    assertThat(layout.consistencyProblems()).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("missing blob " + missing))
        .anySatisfy(p -> assertThat(p).contains("without a revision link"));
  }

  @Test
  void findsATruncatedManifest() throws Exception {
    byte[] truncated = "{\"schemaVersion\":".getBytes(StandardCharsets.UTF_8);
    writeBlob(truncated);
    link(repo.resolve("_manifests/revisions/sha256/" + Digest.sha256(truncated).hex() + "/link"),
        Digest.sha256(truncated));

    assertThat(layout.consistencyProblems()).singleElement().asString().contains("not complete JSON");
  }

  @Test
  void ignoresUploadsInProgress() throws Exception {
    Files.createDirectories(repo.resolve("_uploads/some-id"));
    Files.writeString(repo.resolve("_uploads/some-id/data"), "partial");
    Files.writeString(repo.resolve("_uploads/some-id/link"), "not a digest");

    assertThat(layout.consistencyProblems()).isEmpty();
  }

  private void writeBlob(byte[] content) throws Exception {
    Path data = layout.blobData(Digest.sha256(content));
    Files.createDirectories(data.getParent());
    Files.write(data, content);
  }

  private static void link(Path link, Digest target) throws Exception {
    Files.createDirectories(link.getParent());
    Files.writeString(link, target.toString());
  }
}
