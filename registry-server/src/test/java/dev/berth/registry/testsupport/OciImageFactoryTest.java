package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class OciImageFactoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void writesAValidLayoutWhoseBlobsHashToTheirNames() throws Exception {
    OciImage image = new OciImageFactory(temp.resolve("layout"), 7).addImage("v1", 100_000, 0, 5);
    OciLayout layout = new OciLayout(temp.resolve("layout"));

    layout.assertHoldsExactly("v1", image.manifest(), image.allDigests());
    assertThat(Files.readString(temp.resolve("layout/oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
    JsonNode manifest = JSON.readTree(layout.blob(image.manifest()));
    assertThat(manifest.path("mediaType").asText()).isEqualTo(OciMediaTypes.MANIFEST);
    assertThat(manifest.path("layers")).hasSize(3);
    for (JsonNode layer : manifest.path("layers")) {
      assertThat(layer.path("size").asLong()).isEqualTo(Files.size(layout.blobPath(Digest.parse(layer.path("digest").asText()))));
    }
  }

  @Test
  void layersAreGzippedTarsOfTheRequestedSizeAndConfigListsTheirDiffIds() throws Exception {
    OciImage image = new OciImageFactory(temp.resolve("layout"), 7).addImage("v1", 300_000, 1);
    OciLayout layout = new OciLayout(temp.resolve("layout"));

    List<String> diffIds = new ArrayList<>();
    List<Long> contentSizes = new ArrayList<>();
    for (Digest layer : image.layers()) {
      MessageDigest tarHash = MessageDigest.getInstance("SHA-256");
      try (InputStream gunzipped = new DigestInputStream(
              new GzipCompressorInputStream(Files.newInputStream(layout.blobPath(layer))), tarHash);
          TarArchiveInputStream tar = new TarArchiveInputStream(gunzipped)) {
        TarArchiveEntry entry = tar.getNextEntry();
        contentSizes.add(entry.getSize());
        assertThat(tar.transferTo(OutputStream.nullOutputStream())).isEqualTo(entry.getSize());
        assertThat(tar.getNextEntry()).isNull();
        gunzipped.transferTo(OutputStream.nullOutputStream());
      }
      diffIds.add("sha256:" + HexFormat.of().formatHex(tarHash.digest()));
    }

    assertThat(contentSizes).containsExactly(300_000L, 1L);
    JsonNode config = JSON.readTree(layout.blob(image.config()));
    assertThat(config.path("rootfs").path("diff_ids")).extracting(JsonNode::asText).containsExactlyElementsOf(diffIds);
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
  }

  @Test
  void sameSeedSameDigestsOtherSeedOtherDigests() {
    OciImage first = new OciImageFactory(temp.resolve("a"), 42).addImage("t", 50_000, 20_000);
    OciImage again = new OciImageFactory(temp.resolve("b"), 42).addImage("t", 50_000, 20_000);
    OciImage other = new OciImageFactory(temp.resolve("c"), 43).addImage("t", 50_000, 20_000);

    assertThat(again).isEqualTo(first);
    assertThat(other.layers()).doesNotContainAnyElementsOf(first.layers());
  }

  @Test
  void indexListsTwoPlatformManifestsWithDistinctLayers() throws Exception {
    OciIndexImage index = new OciImageFactory(temp.resolve("layout"), 3).addMultiPlatformIndex("multi", 1000, 2000);
    OciLayout layout = new OciLayout(temp.resolve("layout"));

    layout.assertHoldsExactly("multi", index.index(), index.allDigests());
    JsonNode document = JSON.readTree(layout.blob(index.index()));
    assertThat(document.path("mediaType").asText()).isEqualTo(OciMediaTypes.INDEX);
    assertThat(document.path("manifests")).extracting(m -> m.path("platform").path("architecture").asText())
        .containsExactly("amd64", "arm64");
    assertThat(index.images().get(0).layers()).doesNotContainAnyElementsOf(index.images().get(1).layers());
  }

  @Test
  void aCorruptedBlobIsCaught() throws Exception {
    OciImage image = new OciImageFactory(temp.resolve("layout"), 7).addImage("v1", 1000);
    OciLayout layout = new OciLayout(temp.resolve("layout"));
    Path layer = layout.blobPath(image.layers().get(0));
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(layer, bytes);

    assertThatThrownBy(() -> layout.assertHoldsExactly("v1", image.manifest(), image.allDigests()))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining(image.layers().get(0).toString());
  }

  @Test
  void aWrongTagOrMissingBlobIsCaught() throws Exception {
    OciImageFactory factory = new OciImageFactory(temp.resolve("layout"), 7);
    OciImage one = factory.addImage("one", 10);
    OciImage two = factory.addImage("two", 10);
    OciLayout layout = new OciLayout(temp.resolve("layout"));

    assertThatThrownBy(() -> layout.assertHoldsExactly("one", two.manifest(), two.allDigests()))
        .isInstanceOf(AssertionFailedError.class);
    assertThatThrownBy(() -> layout.digestOf("three")).isInstanceOf(AssertionFailedError.class);
    Files.delete(layout.blobPath(one.config()));
    assertThatThrownBy(() -> layout.verifiedClosure(one.manifest()))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("missing");
  }

  @Test
  void refusesANonEmptyDirectoryAndBadSizes() throws Exception {
    Files.createDirectories(temp.resolve("full"));
    Files.writeString(temp.resolve("full/something"), "x");
    assertThatThrownBy(() -> new OciImageFactory(temp.resolve("full"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");

    OciImageFactory factory = new OciImageFactory(temp.resolve("layout"), 1);
    assertThatThrownBy(() -> factory.addImage("v1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> factory.addImage("v1", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
