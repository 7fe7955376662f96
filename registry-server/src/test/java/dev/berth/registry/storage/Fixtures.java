package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/** Builds blobs and manifests for storage tests. */
final class Fixtures {
  private Fixtures() {}

  static RepositoryName repo(String name) {
    return RepositoryName.parse(name);
  }

  static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Uploads {@code content} in one append and completes it; returns its sha256 digest. */
  static Digest pushBlob(RegistryStorage storage, RepositoryName repo, byte[] content) {
    Digest digest = Digest.sha256(content);
    UploadSession upload = storage.startUpload(repo);
    upload.append(ByteBuffer.wrap(content));
    upload.complete(digest);
    return digest;
  }

  static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  /** An OCI image manifest over a config and layers, pushing them first; extra is spliced into the top object. */
  static byte[] ociManifest(RegistryStorage storage, RepositoryName repo, long seed, String extra) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = randomBytes(seed, 1000);
    Digest configDigest = pushBlob(storage, repo, config);
    Digest layerDigest = pushBlob(storage, repo, layer);
    return ociManifestJson(
        descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length),
        List.of(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest, layer.length)), extra);
  }

  static byte[] ociManifestJson(String config, List<String> layers, String extra) {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":" + config
        + ",\"layers\":[" + String.join(",", layers) + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] ociIndex(List<Digest> children, List<Integer> sizes) {
    String manifests = java.util.stream.IntStream.range(0, children.size())
        .mapToObj(i -> descriptor(ManifestMediaTypes.OCI_MANIFEST, children.get(i), sizes.get(i)))
        .collect(Collectors.joining(","));
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_INDEX + "\",\"manifests\":[" + manifests + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
