package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash at each step of a write leaves behind is ignored by readers, and swept later. */
class CrashConsistencyTest {
  @TempDir Path root;
  private static final RepositoryName APP = repo("app");

  private Path v2() {
    return root.resolve("docker/registry/v2");
  }

  private Path blobDir(Digest digest) {
    return v2().resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
  }

  @Test
  void halfWrittenBlobTempFileIsInvisibleAndDoesNotBlockTheRealPush() throws Exception {
    byte[] content = randomBytes(1, 10_000);
    Digest digest = Digest.sha256(content);
    // crash while moving bytes in: a partial temp file next to where data would go, and no data
    Files.createDirectories(blobDir(digest));
    Files.write(blobDir(digest).resolve(DurableFiles.TEMP_PREFIX + "x-data"), java.util.Arrays.copyOf(content, 100));
    FilesystemStorage storage = new FilesystemStorage(root);
    Files.createDirectories(v2().resolve("repositories/app/_layers/sha256/" + digest.hex()));

    assertThat(storage.blob(APP, digest)).isEmpty();
    Fixtures.pushBlob(storage, APP, content);
    assertThat(storage.blob(APP, digest)).contains(new BlobInfo(digest, content.length));
    assertThat(blobDir(digest).resolve("data")).hasBinaryContent(content);
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  @Test
  void uploadInterruptedBeforeStartedAtIsUnknownAndSweptLater() throws Exception {
    String id = "0b5c1d0e-1111-4222-8333-444455556666";
    Path upload = v2().resolve("repositories/app/_uploads/" + id);
    Files.createDirectories(upload);
    Files.write(upload.resolve("data"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(upload, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
    FilesystemStorage storage = new FilesystemStorage(root);

    assertThatThrownBy(() -> storage.upload(APP, id)).isInstanceOf(RegistryException.class);
    assertThat(storage.sweepStale(Duration.ofDays(7), Duration.ofHours(1)).uploadsRemoved()).isEqualTo(1);
    assertThat(upload).doesNotExist();
  }

  @Test
  void tagWithIndexLinkButNoCurrentLinkIsNotATag() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] manifest = Fixtures.ociManifest(storage, APP, 2, "");
    Digest digest = storage.putManifest(APP, digestRef(manifest), ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    storage.putManifest(APP, "stable", ManifestMediaTypes.OCI_MANIFEST, manifest);
    // crash between the tag's index link and its current link
    Path index = v2().resolve("repositories/app/_manifests/tags/half/index/sha256/" + digest.hex() + "/link");
    Files.createDirectories(index.getParent());
    Files.writeString(index, digest.toString());
    Files.createDirectories(v2().resolve("repositories/app/_manifests/tags/half/current"));
    Files.writeString(v2().resolve("repositories/app/_manifests/tags/half/current/" + DurableFiles.TEMP_PREFIX + "1-link"), "sha2");

    assertThat(storage.tags(APP)).containsExactly("stable");
    assertThat(storage.manifest(APP, "half")).isEmpty();
    storage.putManifest(APP, "half", ManifestMediaTypes.OCI_MANIFEST, manifest);
    assertThat(storage.tags(APP)).containsExactly("half", "stable");
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  @Test
  void manifestStoredButNotYetLinkedIsUnknown() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] manifest = Fixtures.ociManifest(storage, APP, 3, "");
    Digest digest = Digest.sha256(manifest);
    // crash after the manifest blob, before the revision link (whose temp file exists, half written)
    Files.createDirectories(blobDir(digest));
    Files.write(blobDir(digest).resolve("data"), manifest);
    Path revision = v2().resolve("repositories/app/_manifests/revisions/sha256/" + digest.hex());
    Files.createDirectories(revision);
    Files.writeString(revision.resolve(DurableFiles.TEMP_PREFIX + "2-link"), "sha256:");

    assertThat(storage.manifest(APP, digest.toString())).isEmpty();
    assertThatThrownBy(() -> storage.deleteManifest(APP, digest.toString())).isInstanceOf(RegistryException.class);
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  @Test
  void corruptLinkContentIsTreatedAsAbsent() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    Digest digest = Fixtures.pushBlob(storage, APP, randomBytes(4, 10));
    Files.writeString(v2().resolve("repositories/app/_layers/sha256/" + digest.hex() + "/link"), "garbage",
        StandardCharsets.US_ASCII);
    assertThat(storage.blob(APP, digest)).isEmpty();
  }

  @Test
  void sweeperRemovesOnlyOldTempFilesAndOldUploads() throws Exception {
    Instant now = Instant.parse("2030-01-10T00:00:00Z");
    FilesystemStorage storage = new FilesystemStorage(root, Clock.fixed(now, ZoneOffset.UTC));
    Digest digest = Fixtures.pushBlob(storage, APP, randomBytes(5, 10));
    UploadSession fresh = storage.startUpload(APP);
    fresh.append(ByteBuffer.wrap(new byte[] {1}));

    String oldId = "0b5c1d0e-1111-4222-8333-444455556667";
    Path oldUpload = v2().resolve("repositories/app/_uploads/" + oldId);
    Files.createDirectories(oldUpload);
    Files.write(oldUpload.resolve("data"), new byte[10]);
    Files.writeString(oldUpload.resolve("startedat"), "2030-01-01T00:00:00Z");
    UploadSession resumedOld = storage.upload(APP, oldId); // also in memory: it must end with the purge

    Path oldTemp = blobDir(digest).resolve(DurableFiles.TEMP_PREFIX + "old-data");
    Path newTemp = blobDir(digest).resolve(DurableFiles.TEMP_PREFIX + "new-data");
    Files.write(oldTemp, new byte[] {1});
    Files.write(newTemp, new byte[] {1});
    Files.setLastModifiedTime(oldTemp, FileTime.from(now.minus(Duration.ofHours(2))));
    Files.setLastModifiedTime(newTemp, FileTime.from(now.minus(Duration.ofMinutes(10))));

    StaleFileSweeper.Result result = storage.sweepStale(Duration.ofDays(7), Duration.ofHours(1));

    assertThat(result).isEqualTo(new StaleFileSweeper.Result(1, 1));
    assertThat(oldUpload).doesNotExist();
    assertThat(oldTemp).doesNotExist();
    assertThat(newTemp).exists();
    assertThatThrownBy(() -> resumedOld.append(ByteBuffer.wrap(new byte[] {1}))).isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> storage.upload(APP, oldId)).isInstanceOf(RegistryException.class);
    fresh.append(ByteBuffer.wrap(new byte[] {2}));
    assertThat(fresh.complete(Digest.sha256(new byte[] {1, 2})).size()).isEqualTo(2);
    assertThat(storage.blob(APP, digest)).isPresent();
  }

  @Test
  void consistencyCheckerNoticesACorruptBlobAndADanglingTag() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] manifest = Fixtures.ociManifest(storage, APP, 6, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    assertThat(StoreConsistency.problems(root)).isEmpty();

    byte[] layer = randomBytes(6, 1000);
    Files.write(blobDir(Digest.sha256(layer)).resolve("data"), new byte[] {0});
    Files.delete(blobDir(digest).resolve("data"));
    // the corrupt layer; the revision link, the tag's index entry and its current link to the deleted manifest
    assertThat(StoreConsistency.problems(root)).hasSize(4)
        .anyMatch(p -> p.contains("holds bytes hashing to"))
        .anyMatch(p -> p.contains("app/_manifests/revisions/sha256/" + digest.hex() + "/link points at missing blob"))
        .anyMatch(p -> p.contains("app/_manifests/tags/v1/current/link points at missing blob " + digest));
  }

  /** The production readers skip an unreadable link; the checker must not, or a crash's torn link would pass. */
  @Test
  void consistencyCheckerReportsTornTagAndLayerLinks() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] manifest = Fixtures.ociManifest(storage, APP, 7, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    assertThat(StoreConsistency.problems(root)).isEmpty();

    Path repository = root.resolve("docker/registry/v2/repositories/app");
    Path tagLink = repository.resolve("_manifests/tags/v1/current/link");
    Files.writeString(tagLink, digest.toString().substring(0, 20)); // cut short, as a crash mid-write would
    Digest layer = Digest.sha256(randomBytes(7, 1000));
    Path layerLink = repository.resolve("_layers/sha256/" + layer.hex() + "/link");
    assertThat(layerLink).exists();
    Files.write(layerLink, new byte[0]);
    assertThat(storage.tags(APP)).as("production drops the torn tag, so it cannot be the checker").isEmpty();
    assertThat(StoreConsistency.problems(root))
        .anyMatch(p -> p.contains("unreadable or invalid link app/_manifests/tags/v1/current/link"))
        .anyMatch(p -> p.contains("unreadable or invalid link app/_layers/sha256/" + layer.hex() + "/link"));
  }

  private static String digestRef(byte[] manifest) {
    return Digest.sha256(manifest).toString();
  }
}
