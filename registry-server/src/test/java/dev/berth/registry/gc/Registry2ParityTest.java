package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BoundedCommand;
import dev.berth.registry.testsupport.ExternalTool;
import dev.berth.registry.testsupport.OciImage;
import dev.berth.registry.testsupport.OciImageFactory;
import dev.berth.registry.testsupport.OciIndexImage;
import dev.berth.registry.testsupport.ProcessResult;
import dev.berth.registry.testsupport.ReferenceRegistry;
import dev.berth.registry.testsupport.Skopeo;
import dev.berth.registry.testsupport.Skopeo.CopyOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth's collector against Debian's {@code docker-registry garbage-collect} (distribution 2.8) on one root that
 * docker-registry itself wrote: a re-pushed tag (its old manifest is untagged), a manifest deleted by digest, a
 * multi-arch index, and an SBOM-style referrer of a tagged image. Each tool collects its own copy of the root and the
 * surviving blob and revision sets are compared. Without --delete-untagged they are equal. With it registry:2 deletes
 * the index's children (distribution#3178) and the referrer, so their pull breaks; Berth keeps exactly those.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Registry2ParityTest {
  private static final String REPO = "team/app";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path temp;
  private Path written;
  private OciImage replaced;
  private OciImage deleted;
  private OciImage kept;
  private OciIndexImage multi;
  private Set<Digest> referrerDigests;

  @BeforeEach
  void writeARootWithDockerRegistry() throws Exception {
    Skopeo skopeo = Skopeo.require(temp);
    written = temp.resolve("written");
    OciImageFactory factory = new OciImageFactory(temp.resolve("source"), 11);
    replaced = factory.addImage("replaced", 20_000, 3_000);
    OciImage current = factory.addImage("current", 21_000);
    deleted = factory.addImage("deleted", 22_000);
    kept = factory.addImage("kept", 23_000);
    multi = factory.addMultiPlatformIndex("multi", 24_000);
    try (ReferenceRegistry registry = ReferenceRegistry.start(written, temp)) {
      String host = registry.hostPort();
      copy(skopeo, "replaced", host, "v1");
      copy(skopeo, "current", host, "v1"); // re-push: the first v1 manifest is now untagged
      copy(skopeo, "deleted", host, "gone");
      copy(skopeo, "kept", host, "kept");
      skopeo.copy(Skopeo.oci(temp.resolve("source"), "multi"), Skopeo.docker(host, REPO, "multi"),
          CopyOption.ALL, CopyOption.PRESERVE_DIGESTS);
      send(HttpRequest.newBuilder(uri(host, "/manifests/" + deleted.manifest())).DELETE(), 202);
      referrerDigests = pushReferrer(host, kept);
    }
    assertThat(current.manifest()).isNotEqualTo(replaced.manifest());
  }

  @Test
  void withoutDeleteUntaggedBothDeleteTheSameBlobs() throws Exception {
    Path reference = collectWithDockerRegistry(false);
    Path berth = collectWithBerth(false);

    assertThat(blobs(berth)).isEqualTo(blobs(reference));
    assertThat(revisions(berth)).isEqualTo(revisions(reference));
    assertThat(blobs(written)).as("something was garbage").hasSizeGreaterThan(blobs(berth).size());
    assertThat(blobs(berth)).doesNotContainAnyElementsOf(only(deleted)).containsAll(replaced.allDigests());
  }

  @Test
  void withDeleteUntaggedBerthDiffersExactlyWhereRegistry2IsWrong() throws Exception {
    Path reference = collectWithDockerRegistry(true);
    Path berth = collectWithBerth(true);

    // the ordinary part agrees: the replaced and the deleted image are gone from both
    for (Path root : List.of(reference, berth)) {
      assertThat(revisions(root)).doesNotContain(replaced.manifest(), deleted.manifest());
      assertThat(blobs(root)).doesNotContainAnyElementsOf(only(replaced)).doesNotContainAnyElementsOf(only(deleted));
    }
    // registry:2 is wrong here: it deletes the index's untagged children (distribution#3178) and the referrer
    Set<Digest> childContent = multi.images().stream().flatMap(image -> Stream.concat(Stream.of(image.config()),
        image.layers().stream())).collect(Collectors.toSet());
    Set<Digest> childManifests = multi.images().stream().map(OciImage::manifest).collect(Collectors.toSet());
    Set<Digest> referrerManifest = Set.of(referrerDigests.iterator().next());
    assertThat(revisions(reference)).doesNotContainAnyElementsOf(childManifests)
        .doesNotContainAnyElementsOf(referrerManifest);
    assertThat(blobs(reference)).doesNotContainAnyElementsOf(childContent);

    // Berth keeps exactly those, and nothing else that registry:2 deleted
    assertThat(revisions(berth)).containsAll(childManifests).containsAll(referrerManifest);
    Set<Digest> berthOnly = new HashSet<>(blobs(berth));
    berthOnly.removeAll(blobs(reference));
    Set<Digest> expected = new HashSet<>(childContent);
    expected.addAll(referrerDigests);
    assertThat(berthOnly).isEqualTo(expected);
    assertThat(blobs(berth)).containsAll(blobs(reference));
  }

  private Path collectWithDockerRegistry(boolean deleteUntagged) throws IOException {
    Path root = copyOf(written, temp.resolve("reference-" + deleteUntagged));
    Path config = BerthConfigs.writeLoopbackYaml(temp.resolve("gc-" + deleteUntagged + ".yml"), root, 0);
    List<String> command = deleteUntagged
        ? List.of(ExternalTool.dockerRegistry().path().toString(), "garbage-collect", "--delete-untagged", config.toString())
        : List.of(ExternalTool.dockerRegistry().path().toString(), "garbage-collect", config.toString());
    ProcessResult result = BoundedCommand.run(command, Duration.ofMinutes(2));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return root;
  }

  private Path collectWithBerth(boolean deleteUntagged) throws IOException {
    Path root = copyOf(written, temp.resolve("berth-" + deleteUntagged));
    LayoutGcStore store = LayoutGcStore.filesystem(root);
    GcReport report = new GarbageCollector(store, GarbageCollectorTest.FAST, Clock.systemUTC())
        .run(GcOptions.defaults().withGracePeriod(Duration.ZERO).withDeleteUntagged(deleteUntagged), GcEvents.NONE)
        .orElseThrow();
    assertThat(report.complete()).as(String.valueOf(report.warnings())).isTrue();
    assertThat(report.blobsDeleted()).isPositive();
    return root;
  }

  private void copy(Skopeo skopeo, String sourceTag, String host, String tag) {
    skopeo.copy(Skopeo.oci(temp.resolve("source"), sourceTag), Skopeo.docker(host, REPO, tag), CopyOption.PRESERVE_DIGESTS);
  }

  /** An SBOM-style artifact (OCI image manifest with artifactType and subject) pushed by digest: untagged. */
  private static Set<Digest> pushReferrer(String host, OciImage subject) throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "{\"sbom\":\"spdx\"}".getBytes(StandardCharsets.UTF_8);
    Digest configDigest = putBlob(host, config);
    Digest layerDigest = putBlob(host, layer);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\","
        + "\"artifactType\":\"application/spdx+json\","
        + "\"config\":" + GcFixtures.descriptor("application/vnd.oci.empty.v1+json", configDigest, config.length) + ","
        + "\"layers\":[" + GcFixtures.descriptor("application/spdx+json", layerDigest, layer.length) + "],"
        + "\"subject\":" + GcFixtures.descriptor(ManifestMediaTypes.OCI_MANIFEST, subject.manifest(), subject.manifestSize())
        + "}";
    byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(bytes);
    send(HttpRequest.newBuilder(uri(host, "/manifests/" + digest)).header("Content-Type", ManifestMediaTypes.OCI_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
    return new java.util.LinkedHashSet<>(List.of(digest, configDigest, layerDigest));
  }

  /** POST to open an upload, then one PUT with the body and the digest (registry:2 has no single-POST upload). */
  private static Digest putBlob(String host, byte[] content) throws Exception {
    Digest digest = Digest.sha256(content);
    HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(uri(host, "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    URI location = URI.create("http://" + host).resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201);
    return digest;
  }

  private static URI uri(String host, String path) {
    return URI.create("http://" + host + "/v2/" + REPO + path);
  }

  private static void send(HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
  }

  /** The blobs only this image has (the factory gives every image its own layers and config). */
  private static Set<Digest> only(OciImage image) {
    return image.allDigests();
  }

  private static Set<Digest> blobs(Path root) {
    Set<Digest> all = new HashSet<>();
    LayoutGcStore.filesystem(root).forEachBlob(blob -> all.add(blob.digest()));
    return all;
  }

  private static Set<Digest> revisions(Path root) {
    return LayoutGcStore.filesystem(root).revisions(RepositoryName.parse(REPO)).stream().map(GcStore.Stored::digest)
        .collect(Collectors.toSet());
  }

  private static Path copyOf(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return target;
  }
}
