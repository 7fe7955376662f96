package dev.berth.registry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.DistributionLayout;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciIndexImage;
import dev.berth.registry.testsupport.OciLayout;
import dev.berth.registry.testsupport.RegistryHttp;
import dev.berth.registry.testsupport.RegistryKind;
import dev.berth.registry.testsupport.RunningRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo pushes generated images into a registry and pulls them back; every digest must survive. Run against Berth and
 * against Debian's docker-registry: the reference run proves the harness, so a Berth failure is Berth's.
 */
class SkopeoRoundTripTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(RegistryKind.class)
  void threeLayerImageRoundTrips(RegistryKind kind) {
    Skopeo skopeo = Skopeo.require(temp);
    OciImage image = new OciImageFactory(temp.resolve("source"), 1).addImage("v1", 3 << 20, 256 << 10, 10);
    Path pulled = temp.resolve("pulled");

    try (RunningRegistry registry = kind.start(temp.resolve("root"), temp)) {
      String remote = Skopeo.docker(registry.hostPort(), "team/app", "v1");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "v1"), remote, CopyOption.PRESERVE_DIGESTS);

      String served = skopeo.inspectRaw(remote);
      assertThat(Digest.sha256(served.getBytes(StandardCharsets.UTF_8))).isEqualTo(image.manifest());
      assertThat(new RegistryHttp(registry.hostPort()).tags("team/app")).containsExactly("v1");

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

  @ParameterizedTest
  @EnumSource(RegistryKind.class)
  void multiPlatformIndexRoundTripsWithAll(RegistryKind kind) {
    Skopeo skopeo = Skopeo.require(temp);
    OciIndexImage index = new OciImageFactory(temp.resolve("source"), 2).addMultiPlatformIndex("multi", 64 << 10, 1000);
    Path pulled = temp.resolve("pulled");

    try (RunningRegistry registry = kind.start(temp.resolve("root"), temp)) {
      String remote = Skopeo.docker(registry.hostPort(), "multi", "multi");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "multi"), remote, CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
      assertThat(Digest.sha256(skopeo.inspectRaw(remote).getBytes(StandardCharsets.UTF_8))).isEqualTo(index.index());
      for (OciImage platformImage : index.images()) {
        String byDigest = Skopeo.docker(registry.hostPort(), "multi", platformImage.manifest().toString());
        assertThat(Digest.sha256(skopeo.inspectRaw(byDigest).getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(platformImage.manifest());
      }
      skopeo.copy(remote, Skopeo.oci(pulled, "multi"), CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
    }

    new OciLayout(pulled).assertHoldsExactly("multi", index.index(), index.allDigests());
    assertThat(index.images()).extracting(OciImage::platform).extracting(Object::toString)
        .containsExactly("linux/amd64", "linux/arm64");
  }
}
