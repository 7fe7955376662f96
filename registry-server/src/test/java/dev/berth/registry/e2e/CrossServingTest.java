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
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import dev.berth.registry.testsupport.RunningRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One storage root, two registries: images pushed through one kind are served by the other after a switch, and the
 * first can take the root back. This is the promise to users moving a registry:2 volume to Berth (and back).
 */
class CrossServingTest {
  private static final Path SOURCE = Path.of("source");

  @TempDir Path temp;

  /** What was pushed: repository:tag to the top digest and every digest it reaches. */
  private record Pushed(Digest top, Set<Digest> digests) {}

  /** Where both keep the images: one directory, or one bucket each registry reaches with its own s3 driver. */
  enum Medium { FILESYSTEM, S3 }

  @ParameterizedTest(name = "on {2}: pushed by {0}, served by {1}")
  @CsvSource({"REFERENCE, BERTH, FILESYSTEM", "BERTH, REFERENCE, FILESYSTEM", "REFERENCE, BERTH, S3", "BERTH, REFERENCE, S3"})
  void everyImageOneRegistryPushedIsServedByTheOther(RegistryKind writer, RegistryKind reader, Medium medium) {
    Skopeo skopeo = Skopeo.require(temp);
    S3Bucket bucket = medium == Medium.S3 ? S3Bucket.create(SharedS3Proxy.server()) : null;
    Path root = bucket != null ? bucket.root() : temp.resolve("registry-root");
    java.util.function.Function<RegistryKind, RunningRegistry> start = kind -> bucket != null
        ? kind.startOnS3(bucket, temp) : kind.start(root, temp);
    Path source = temp.resolve(SOURCE);
    OciImageFactory factory = new OciImageFactory(source, 11);
    Map<String, Pushed> pushed = new LinkedHashMap<>();
    OciImage app1 = factory.addImage("app-v1", 1 << 20, 200_000, 3_000);
    OciImage app2 = factory.addImage("app-v2", 500_000, 1);
    OciImage deep = factory.addImage("deep", 70_000);
    OciIndexImage multi = factory.addMultiPlatformIndex("multi", 100_000, 40_000);

    try (RunningRegistry registry = start.apply(writer)) {
      push(skopeo, registry, "app-v1", "team/app:v1", pushed, app1.manifest(), app1.allDigests());
      push(skopeo, registry, "app-v2", "team/app:v2", pushed, app2.manifest(), app2.allDigests());
      push(skopeo, registry, "deep", "org/team/sub/tool:1.0", pushed, deep.manifest(), deep.allDigests());
      push(skopeo, registry, "multi", "multi:latest", pushed, multi.index(), multi.allDigests());
      // a repository that so far received only a cross-repository mount: a directory with _layers and nothing else
      RegistryHttp http = new RegistryHttp(registry.hostPort());
      assertThat(http.mount("mounted/only", deep.layers().get(0).toString(), "org/team/sub/tool")).isEqualTo(201);
      assertThat(http.catalog()).containsExactly("mounted/only", "multi", "org/team/sub/tool", "team/app");
    }
    assertThat(new DistributionLayout(root).tagsByRepository()).isEqualTo(Map.of(
        "multi", List.of("latest"), "org/team/sub/tool", List.of("1.0"), "team/app", List.of("v1", "v2")));

    OciImage afterSwitch = factory.addImage("after-switch", 90_000);
    try (RunningRegistry registry = start.apply(reader)) {
      RegistryHttp http = new RegistryHttp(registry.hostPort());
      assertThat(http.catalog()).containsExactly("mounted/only", "multi", "org/team/sub/tool", "team/app");
      assertThat(http.tags("team/app")).containsExactly("v1", "v2");
      pullEverything(skopeo, registry, pushed, "served-by-" + reader);

      // the reader writes too, so the writer must then read a mix of both
      push(skopeo, registry, "after-switch", "team/app:v3", pushed, afterSwitch.manifest(), afterSwitch.allDigests());
    }

    try (RunningRegistry registry = start.apply(writer)) {
      assertThat(new RegistryHttp(registry.hostPort()).tags("team/app")).containsExactly("v1", "v2", "v3");
      pullEverything(skopeo, registry, pushed, "back-to-" + writer);
    }
  }

  private void push(Skopeo skopeo, RunningRegistry registry, String sourceTag, String target,
      Map<String, Pushed> pushed, Digest top, Set<Digest> digests) {
    String[] nameAndTag = target.split(":");
    skopeo.copy(Skopeo.oci(temp.resolve(SOURCE), sourceTag), Skopeo.docker(registry.hostPort(), nameAndTag[0],
        nameAndTag[1]), CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
    pushed.put(target, new Pushed(top, digests));
  }

  private void pullEverything(Skopeo skopeo, RunningRegistry registry, Map<String, Pushed> pushed, String label) {
    int n = 0;
    for (Map.Entry<String, Pushed> entry : pushed.entrySet()) {
      String[] nameAndTag = entry.getKey().split(":");
      Path layout = temp.resolve(label + "-" + n++);
      skopeo.copy(Skopeo.docker(registry.hostPort(), nameAndTag[0], nameAndTag[1]), Skopeo.oci(layout, "pulled"),
          CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
      new OciLayout(layout).assertHoldsExactly("pulled", entry.getValue().top(), entry.getValue().digests());
    }
  }
}
