package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciIndexImage;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.ReferenceRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness itself against Debian's docker-registry: generated images survive skopeo into the reference
 * registry and back with every digest intact, and the registry leaves the distribution layout the cross-serving tests
 * read. If this fails, the Berth end-to-end tests cannot be trusted either.
 */
class ReferenceRegistryRoundTripTest {
  @TempDir Path temp;

  @Test
  void threeLayerImageRoundTripsThroughDockerRegistry() {
    Skopeo skopeo = Skopeo.require(temp);
    OciImage image = new OciImageFactory(temp.resolve("source"), 1).addImage("v1", 3 << 20, 256 << 10, 10);
    Path pulled = temp.resolve("pulled");

    try (ReferenceRegistry registry = ReferenceRegistry.start(temp.resolve("root"), temp)) {
      String remote = Skopeo.docker(registry.hostPort(), "team/app", "v1");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "v1"), remote, CopyOption.PRESERVE_DIGESTS);

      String served = skopeo.inspectRaw(remote);
      assertThat(Digest.sha256(served.getBytes(StandardCharsets.UTF_8))).isEqualTo(image.manifest());

      skopeo.copy(remote, Skopeo.oci(pulled, "v1"), CopyOption.PRESERVE_DIGESTS);

      DistributionLayout onDisk = new DistributionLayout(registry.root());
      assertThat(onDisk.tagsByRepository()).isEqualTo(Map.of("team/app", List.of("v1")));
      assertThat(onDisk.taggedDigest("team/app", "v1")).isEqualTo(image.manifest());
      for (Digest digest : image.allDigests()) {
        assertThat(onDisk.blobData(digest)).as("blob data of %s", digest).isRegularFile();
      }
    }

    new OciLayout(pulled).assertHoldsExactly("v1", image.manifest(), image.allDigests());
    assertThat(image.layers()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void multiPlatformIndexRoundTripsThroughDockerRegistryWithAll() {
    Skopeo skopeo = Skopeo.require(temp);
    OciIndexImage index = new OciImageFactory(temp.resolve("source"), 2).addMultiPlatformIndex("multi", 64 << 10, 1000);
    Path pulled = temp.resolve("pulled");

    try (ReferenceRegistry registry = ReferenceRegistry.start(temp.resolve("root"), temp)) {
      String remote = Skopeo.docker(registry.hostPort(), "multi", "multi");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "multi"), remote, CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
      assertThat(Digest.sha256(skopeo.inspectRaw(remote).getBytes(StandardCharsets.UTF_8))).isEqualTo(index.index());
      skopeo.copy(remote, Skopeo.oci(pulled, "multi"), CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
    }

    new OciLayout(pulled).assertHoldsExactly("multi", index.index(), index.allDigests());
    assertThat(index.images()).extracting(OciImage::platform).extracting(Object::toString)
        .containsExactly("linux/amd64", "linux/arm64");
  }
}
