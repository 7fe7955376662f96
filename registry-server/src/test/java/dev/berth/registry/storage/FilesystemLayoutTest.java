package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.pushBlob;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files on disk are exactly those distribution (registry:2) writes and reads. */
class FilesystemLayoutTest {
  @TempDir Path root;

  private Path v2() {
    return root.resolve("docker/registry/v2");
  }

  private static String text(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  @Test
  void blobLandsInTheContentStoreAndIsLinkedIntoTheRepository() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = "hello layer".getBytes(StandardCharsets.UTF_8);
    Digest digest = pushBlob(storage, repo("team/app"), content);
    String hex = digest.hex();

    assertThat(v2().resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data")).hasBinaryContent(content);
    Path link = v2().resolve("repositories/team/app/_layers/sha256/" + hex + "/link");
    assertThat(text(link)).isEqualTo("sha256:" + hex); // no newline, as distribution writes it
    assertThat(v2().resolve("repositories/team/app/_uploads")).isEmptyDirectory();
  }

  @Test
  void uploadInProgressHasDataAndStartedAtInRfc3339() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    UploadSession upload = storage.startUpload(repo("app"));
    upload.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));

    Path dir = v2().resolve("repositories/app/_uploads/" + upload.id());
    assertThat(dir.resolve("data")).hasBinaryContent(new byte[] {1, 2, 3});
    String startedAt = text(dir.resolve("startedat"));
    assertThat(startedAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(Instant.parse(startedAt)).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
  }

  @Test
  void taggedManifestIsABlobWithRevisionAndTagLinks() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("library/busybox");
    byte[] manifest = Fixtures.ociManifest(storage, repo, 1, "");
    Digest digest = storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    String hex = digest.hex();
    Path repoDir = v2().resolve("repositories/library/busybox");

    assertThat(digest).isEqualTo(Digest.sha256(manifest));
    assertThat(v2().resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data")).hasBinaryContent(manifest);
    assertThat(text(repoDir.resolve("_manifests/revisions/sha256/" + hex + "/link"))).isEqualTo("sha256:" + hex);
    assertThat(text(repoDir.resolve("_manifests/tags/latest/current/link"))).isEqualTo("sha256:" + hex);
    assertThat(text(repoDir.resolve("_manifests/tags/latest/index/sha256/" + hex + "/link"))).isEqualTo("sha256:" + hex);
    // Berth's own files stay in a "_" directory, which registry:2's catalog walk skips.
    try (var entries = Files.list(repoDir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).allMatch(name -> name.startsWith("_"));
    }
    assertThat(Files.list(v2()).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("blobs", "repositories");
  }

  @Test
  void retaggingKeepsTheOldRevisionInTheTagIndexAsDistributionDoes() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    Digest first = storage.putManifest(repo, "v1", ManifestMediaTypes.OCI_MANIFEST, Fixtures.ociManifest(storage, repo, 1, "")).digest();
    Digest second = storage.putManifest(repo, "v1", ManifestMediaTypes.OCI_MANIFEST, Fixtures.ociManifest(storage, repo, 2, "")).digest();
    Path tag = v2().resolve("repositories/app/_manifests/tags/v1");

    assertThat(text(tag.resolve("current/link"))).isEqualTo(second.toString());
    assertThat(tag.resolve("index/sha256/" + first.hex() + "/link")).exists();
    assertThat(tag.resolve("index/sha256/" + second.hex() + "/link")).exists();
  }

  @Test
  void servesARootWrittenTheWayRegistry2WritesIt() throws Exception {
    // Files laid down by hand exactly as distribution 2.8 does, with none of Berth's sidecars.
    byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = Digest.sha256(layer);
    Digest configDigest = Digest.sha256(config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST + "\",\"config\":"
        + Fixtures.descriptor("application/vnd.docker.container.image.v1+json", configDigest, config.length)
        + ",\"layers\":[" + Fixtures.descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layerDigest, layer.length)
        + "]}").getBytes(StandardCharsets.UTF_8);
    Digest manifestDigest = Digest.sha256(manifest);
    for (var blob : new Object[][] {{layerDigest, layer}, {configDigest, config}, {manifestDigest, manifest}}) {
      Digest d = (Digest) blob[0];
      Path data = v2().resolve("blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
      Files.createDirectories(data.getParent());
      Files.write(data, (byte[]) blob[1]);
    }
    Path repoDir = v2().resolve("repositories/old/app");
    writeLink(repoDir.resolve("_layers/sha256/" + layerDigest.hex() + "/link"), layerDigest);
    writeLink(repoDir.resolve("_layers/sha256/" + configDigest.hex() + "/link"), configDigest);
    writeLink(repoDir.resolve("_manifests/revisions/sha256/" + manifestDigest.hex() + "/link"), manifestDigest);
    writeLink(repoDir.resolve("_manifests/tags/1.0/current/link"), manifestDigest);
    writeLink(repoDir.resolve("_manifests/tags/1.0/index/sha256/" + manifestDigest.hex() + "/link"), manifestDigest);

    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("old/app");
    var stored = storage.manifest(repo, "1.0").orElseThrow();
    assertThat(stored.content()).isEqualTo(manifest);
    assertThat(stored.digest()).isEqualTo(manifestDigest);
    assertThat(stored.mediaType()).isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST);
    assertThat(storage.tags(repo)).containsExactly("1.0");
    assertThat(storage.repositories(null, 10)).containsExactly("old/app");
    assertThat(storage.blob(repo, layerDigest)).contains(new BlobInfo(layerDigest, layer.length));
    try (OpenBlob open = storage.openBlob(repo, layerDigest)) {
      ByteBuffer read = ByteBuffer.allocate(layer.length);
      open.channel().read(read);
      assertThat(read.array()).isEqualTo(layer);
    }
    assertThat(storage.referrers(repo, manifestDigest)).isEmpty();
  }

  @Test
  void referrersOfARootWithoutBerthsIndexAreFoundByReadingItsManifestsOnce() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("signed/app");
    byte[] image = Fixtures.ociManifest(storage, repo, 1, "");
    Digest subject = storage.putManifest(repo, "v1", ManifestMediaTypes.OCI_MANIFEST, image).digest();
    byte[] signature = Fixtures.ociManifest(storage, repo, 2,
        "\"artifactType\":\"application/x-sig\",\"subject\":" + Fixtures.descriptor(ManifestMediaTypes.OCI_MANIFEST, subject, image.length));
    Digest signatureDigest = storage.putManifest(repo, "sig", ManifestMediaTypes.OCI_MANIFEST, signature).digest();
    // what a registry:2 root looks like: no _berth directory at all
    Path berth = v2().resolve("repositories/signed/app/_berth");
    try (var paths = Files.walk(berth)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    FilesystemStorage served = new FilesystemStorage(root);
    assertThat(served.referrers(repo, subject)).extracting(d -> d.digest(), d -> d.artifactType())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(signatureDigest.toString(), "application/x-sig"));
    assertThat(berth.resolve("referrers-indexed")).exists();
    assertThat(served.referrers(repo, signatureDigest)).isEmpty();
  }

  private static void writeLink(Path link, Digest digest) throws Exception {
    Files.createDirectories(link.getParent());
    Files.writeString(link, digest.toString(), StandardCharsets.US_ASCII);
  }
}
