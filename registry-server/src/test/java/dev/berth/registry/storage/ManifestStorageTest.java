package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.descriptor;
import static dev.berth.registry.storage.Fixtures.ociManifest;
import static dev.berth.registry.storage.Fixtures.ociManifestJson;
import static dev.berth.registry.storage.Fixtures.pushBlob;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Descriptor;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestStorageTest {
  @TempDir Path root;
  private FilesystemStorage storage;
  private static final RepositoryName APP = repo("team/app");

  @BeforeEach
  void setUp() {
    storage = new FilesystemStorage(root);
  }

  private static RegistryException assertCode(ThrowingCallable call, ErrorCode code) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(RegistryException.class);
    RegistryException e = (RegistryException) thrown;
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    return e;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- round trips

  @Test
  void bytesAndContentTypeComeBackExactlyAsPushed() {
    // odd whitespace and key order must survive: the digest is over these bytes
    byte[] manifest = utf8(new String(ociManifest(storage, APP, 1, "\"annotations\" : {\"b\":\"2\", \"a\":\"1\"}")) + "\n  ");
    String contentType = "application/vnd.oci.image.manifest.v1+json; charset=utf-8";
    ManifestPutResult put = storage.putManifest(APP, "v1", contentType, manifest);

    StoredManifest byTag = storage.manifest(APP, "v1").orElseThrow();
    StoredManifest byDigest = storage.manifest(APP, put.digest().toString()).orElseThrow();
    assertThat(byTag.content()).isEqualTo(manifest);
    assertThat(byTag.mediaType()).isEqualTo(contentType);
    assertThat(byTag.digest()).isEqualTo(Digest.sha256(manifest)).isEqualTo(put.digest());
    assertThat(byDigest.content()).isEqualTo(manifest);
    assertThat(put.subject()).isEmpty();
  }

  @Test
  void dockerSchema2AndManifestListRoundTrip() {
    byte[] config = utf8("{\"os\":\"linux\"}");
    byte[] layer = Fixtures.randomBytes(11, 500);
    Digest configDigest = pushBlob(storage, APP, config);
    Digest layerDigest = pushBlob(storage, APP, layer);
    byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST + "\",\"config\":"
        + descriptor("application/vnd.docker.container.image.v1+json", configDigest, config.length) + ",\"layers\":["
        + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layerDigest, layer.length) + "]}");
    Digest manifestDigest = storage.putManifest(APP, "amd64", ManifestMediaTypes.DOCKER_MANIFEST, manifest).digest();
    byte[] list = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{"
        + "\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":"
        + manifest.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
    storage.putManifest(APP, "latest", ManifestMediaTypes.DOCKER_MANIFEST_LIST, list);

    assertThat(storage.manifest(APP, "latest").orElseThrow().mediaType()).isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(storage.manifest(APP, "amd64").orElseThrow().mediaType()).isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST);
    assertThat(storage.tags(APP)).containsExactly("amd64", "latest");
  }

  @Test
  void ociIndexNeedsItsChildManifestsInTheRepository() {
    byte[] child = ociManifest(storage, APP, 2, "");
    Digest childDigest = Digest.sha256(child);
    byte[] index = Fixtures.ociIndex(List.of(childDigest), List.of(child.length));

    RegistryException e = assertCode(() -> storage.putManifest(APP, "multi", ManifestMediaTypes.OCI_INDEX, index),
        ErrorCode.MANIFEST_BLOB_UNKNOWN);
    assertThat(e.detail()).isEqualTo(Map.of("digest", childDigest.toString()));
    assertThat(storage.manifest(APP, "multi")).isEmpty();

    storage.putManifest(APP, childDigest.toString(), ManifestMediaTypes.OCI_MANIFEST, child);
    storage.putManifest(APP, "multi", ManifestMediaTypes.OCI_INDEX, index);
    assertThat(storage.manifest(APP, "multi").orElseThrow().content()).isEqualTo(index);
  }

  @Test
  void contentTypeFallsBackToTheKindWhenPushedGenerically() {
    byte[] manifest = ociManifest(storage, APP, 3, "");
    storage.putManifest(APP, "generic", "application/json", manifest);
    assertThat(storage.manifest(APP, "generic").orElseThrow().mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
  }

  @Test
  void withoutTheSidecarTheMediaTypeFieldOrShapeDecides() throws Exception {
    byte[] manifest = ociManifest(storage, APP, 4, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    byte[] noMediaType = utf8("{\"schemaVersion\":2,\"manifests\":[" + descriptor(ManifestMediaTypes.OCI_MANIFEST, digest, manifest.length) + "]}");
    Digest indexDigest = storage.putManifest(APP, "idx", ManifestMediaTypes.OCI_INDEX, noMediaType).digest();
    // as on a root written by registry:2, which has no _berth directory
    deleteTree(root.resolve("docker/registry/v2/repositories/team/app/_berth"));

    assertThat(storage.manifest(APP, "v1").orElseThrow().mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(storage.manifest(APP, indexDigest.toString()).orElseThrow().mediaType()).isEqualTo(ManifestMediaTypes.OCI_INDEX);
  }

  @Test
  void pushByDigestStoresUntaggedAndSha512Works() {
    byte[] manifest = ociManifest(storage, APP, 5, "");
    Digest sha512 = Digest.of("sha512", manifest);
    assertThat(storage.putManifest(APP, sha512.toString(), ManifestMediaTypes.OCI_MANIFEST, manifest).digest()).isEqualTo(sha512);
    assertThat(storage.manifest(APP, sha512.toString()).orElseThrow().content()).isEqualTo(manifest);
    assertThat(storage.tags(APP)).isEmpty();
  }

  @Test
  void artifactManifestWithArtifactTypeAndEmptyConfigIsAccepted() {
    byte[] empty = utf8("{}");
    Digest emptyDigest = pushBlob(storage, APP, empty);
    byte[] sbom = utf8("{\"spdx\":true}");
    Digest sbomDigest = pushBlob(storage, APP, sbom);
    byte[] artifact = ociManifestJson(descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2),
        List.of(descriptor("application/spdx+json", sbomDigest, sbom.length)), "\"artifactType\":\"application/spdx+json\"");
    Digest digest = storage.putManifest(APP, "sbom", ManifestMediaTypes.OCI_MANIFEST, artifact).digest();
    assertThat(storage.manifest(APP, digest.toString())).isPresent();
  }

  @Test
  void manifestWhoseRevisionWasRemovedIsGoneEvenWhenItsBytesAreCached() throws Exception {
    byte[] manifest = ociManifest(storage, APP, 14, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    assertThat(storage.manifest(APP, "v1")).isPresent();
    // another process (registry:2, another replica) deletes it on disk
    Files.delete(root.resolve("docker/registry/v2/repositories/team/app/_manifests/revisions/sha256/" + digest.hex() + "/link"));
    assertThat(storage.manifest(APP, "v1")).isEmpty();
    assertThat(storage.manifest(APP, digest.toString())).isEmpty();
  }

  // ---- refusals

  @Test
  void missingConfigOrLayerIsManifestBlobUnknownWithTheDigest() {
    byte[] config = utf8("{}");
    Digest configDigest = pushBlob(storage, APP, config);
    Digest absent = Digest.sha256(utf8("never pushed"));
    byte[] manifest = ociManifestJson(descriptor("application/vnd.oci.image.config.v1+json", configDigest, 2),
        List.of(descriptor("application/vnd.oci.image.layer.v1.tar", absent, 12)), "");

    RegistryException e = assertCode(() -> storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest),
        ErrorCode.MANIFEST_BLOB_UNKNOWN);
    assertThat(e.detail()).isEqualTo(Map.of("digest", absent.toString()));
    assertThat(storage.manifest(APP, Digest.sha256(manifest).toString())).isEmpty();

    byte[] noConfig = ociManifestJson(descriptor("application/vnd.oci.image.config.v1+json", absent, 2), List.of(), "");
    assertThat(assertCode(() -> storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, noConfig),
        ErrorCode.MANIFEST_BLOB_UNKNOWN).detail()).isEqualTo(Map.of("digest", absent.toString()));
  }

  @Test
  void blobOfAnotherRepositoryDoesNotCount() {
    byte[] manifest = ociManifest(storage, repo("other"), 6, "");
    assertCode(() -> storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest), ErrorCode.MANIFEST_BLOB_UNKNOWN);
  }

  @Test
  void foreignLayersWithUrlsNeedNotBePresent() {
    byte[] config = utf8("{}");
    Digest configDigest = pushBlob(storage, APP, config);
    Digest foreign = Digest.sha256(utf8("windows base layer"));
    String layer = "{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"" + foreign
        + "\",\"size\":100,\"urls\":[\"https://example.com/layer\"]}";
    byte[] manifest = ociManifestJson(descriptor("application/vnd.oci.image.config.v1+json", configDigest, 2), List.of(layer), "");
    assertThat(storage.putManifest(APP, "win", ManifestMediaTypes.OCI_MANIFEST, manifest).digest()).isEqualTo(Digest.sha256(manifest));
  }

  @Test
  void digestReferenceThatDoesNotMatchIsDigestInvalid() {
    byte[] manifest = ociManifest(storage, APP, 7, "");
    String wrong = Digest.sha256(utf8("x")).toString();
    assertCode(() -> storage.putManifest(APP, wrong, ManifestMediaTypes.OCI_MANIFEST, manifest), ErrorCode.DIGEST_INVALID);
    assertCode(() -> storage.putManifest(APP, "md5:abc", ManifestMediaTypes.OCI_MANIFEST, manifest), ErrorCode.DIGEST_INVALID);
    assertThat(storage.manifest(APP, Digest.sha256(manifest).toString())).isEmpty();
  }

  @Test
  void badTagIsTagInvalid() {
    byte[] manifest = ociManifest(storage, APP, 8, "");
    for (String tag : List.of(".hidden", "-x", "a/b", "", "x".repeat(129), "..")) {
      assertCode(() -> storage.putManifest(APP, tag, ManifestMediaTypes.OCI_MANIFEST, manifest), ErrorCode.TAG_INVALID);
    }
    assertThat(Files.exists(root.resolve("docker/registry/v2/repositories/team/app/_manifests"))).isFalse();
  }

  @Test
  void notJsonOrWrongShapeIsManifestInvalidAndChangesNothing() {
    for (String body : List.of("not json", "[]", "{\"schemaVersion\":2}", "{\"schemaVersion\":1,\"fsLayers\":[]}",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:00\",\"size\":1},\"layers\":[]}")) {
      assertCode(() -> storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, utf8(body)), ErrorCode.MANIFEST_INVALID);
    }
    assertThat(Files.exists(root.resolve("docker/registry/v2"))).isFalse();
  }

  @Test
  void oversizedManifestIsManifestInvalid() {
    byte[] huge = new byte[4 * 1024 * 1024 + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertCode(() -> storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, huge), ErrorCode.MANIFEST_INVALID);
  }

  // ---- reading and deleting

  @Test
  void unknownReferencesAreEmpty() {
    assertThat(storage.manifest(APP, "nope")).isEmpty();
    assertThat(storage.manifest(APP, Digest.sha256(utf8("x")).toString())).isEmpty();
    assertThatThrownBy(() -> storage.manifest(APP, "sha256:short")).isInstanceOf(RegistryException.class);
  }

  @Test
  void deleteByTagRemovesOnlyTheTag() {
    byte[] manifest = ociManifest(storage, APP, 9, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    storage.putManifest(APP, "v2", ManifestMediaTypes.OCI_MANIFEST, manifest);
    storage.deleteManifest(APP, "v1");

    assertThat(storage.tags(APP)).containsExactly("v2");
    assertThat(storage.manifest(APP, "v1")).isEmpty();
    assertThat(storage.manifest(APP, digest.toString())).isPresent();
    assertThat(root.resolve("docker/registry/v2/repositories/team/app/_manifests/tags/v1")).doesNotExist();
    assertCode(() -> storage.deleteManifest(APP, "v1"), ErrorCode.MANIFEST_UNKNOWN);
  }

  @Test
  void deleteByDigestRemovesTheRevisionAndEveryTagPointingAtIt() {
    byte[] manifest = ociManifest(storage, APP, 10, "");
    byte[] other = ociManifest(storage, APP, 11, "");
    Digest digest = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    storage.putManifest(APP, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest);
    storage.putManifest(APP, "v2", ManifestMediaTypes.OCI_MANIFEST, other);
    storage.deleteManifest(APP, digest.toString());

    assertThat(storage.manifest(APP, digest.toString())).isEmpty();
    assertThat(storage.tags(APP)).containsExactly("v2");
    assertThat(root.resolve("docker/registry/v2/repositories/team/app/_manifests/revisions/sha256/" + digest.hex())).doesNotExist();
    assertCode(() -> storage.deleteManifest(APP, digest.toString()), ErrorCode.MANIFEST_UNKNOWN);
  }

  @Test
  void tagsOfAnUnknownRepositoryIsNameUnknown() {
    pushBlob(storage, APP, utf8("only a blob"));
    assertCode(() -> storage.tags(APP), ErrorCode.NAME_UNKNOWN);
    assertCode(() -> storage.tags(repo("never/seen")), ErrorCode.NAME_UNKNOWN);
  }

  // ---- referrers

  @Test
  void manifestsWithASubjectAreListedAsReferrers() {
    byte[] image = ociManifest(storage, APP, 12, "");
    Digest subject = storage.putManifest(APP, "v1", ManifestMediaTypes.OCI_MANIFEST, image).digest();
    String subjectField = "\"subject\":" + descriptor(ManifestMediaTypes.OCI_MANIFEST, subject, image.length);

    byte[] empty = utf8("{}");
    Digest emptyDigest = pushBlob(storage, APP, empty);
    byte[] sig = utf8("signature");
    Digest sigDigest = pushBlob(storage, APP, sig);
    byte[] signature = ociManifestJson(descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2),
        List.of(descriptor("application/vnd.dev.sig", sigDigest, sig.length)),
        "\"artifactType\":\"application/vnd.dev.sig\"," + subjectField + ",\"annotations\":{\"org.example\":\"yes\"}");
    ManifestPutResult put = storage.putManifest(APP, Digest.sha256(signature).toString(), ManifestMediaTypes.OCI_MANIFEST, signature);
    // without artifactType the config's media type stands in
    byte[] sbomConfig = utf8("{\"sbom\":1}");
    Digest sbomConfigDigest = pushBlob(storage, APP, sbomConfig);
    byte[] sbom = ociManifestJson(descriptor("application/vnd.example.sbom", sbomConfigDigest, sbomConfig.length), List.of(), subjectField);
    Digest sbomDigest = storage.putManifest(APP, Digest.sha256(sbom).toString(), ManifestMediaTypes.OCI_MANIFEST, sbom).digest();

    assertThat(put.subject()).contains(subject);
    List<Descriptor> referrers = storage.referrers(APP, subject);
    assertThat(referrers).containsExactlyInAnyOrder(
        new Descriptor(ManifestMediaTypes.OCI_MANIFEST, put.digest().toString(), signature.length, "application/vnd.dev.sig",
            Map.of("org.example", "yes")),
        new Descriptor(ManifestMediaTypes.OCI_MANIFEST, sbomDigest.toString(), sbom.length, "application/vnd.example.sbom", Map.of()));
    assertThat(storage.referrers(repo("other"), subject)).isEmpty();
    assertThat(storage.referrers(APP, sbomDigest)).isEmpty();

    storage.deleteManifest(APP, put.digest().toString());
    assertThat(storage.referrers(APP, subject)).extracting(Descriptor::digest).containsExactly(sbomDigest.toString());
  }

  @Test
  void subjectNeedNotExist() {
    Digest missing = Digest.sha256(utf8("not pushed yet"));
    byte[] manifest = ociManifest(storage, APP, 13, "\"subject\":" + descriptor(ManifestMediaTypes.OCI_MANIFEST, missing, 10));
    assertThat(storage.putManifest(APP, "sig", ManifestMediaTypes.OCI_MANIFEST, manifest).subject()).contains(missing);
    assertThat(storage.referrers(APP, missing)).hasSize(1);
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
