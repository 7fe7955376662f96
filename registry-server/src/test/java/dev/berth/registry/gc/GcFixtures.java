package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadSession;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Images for collector tests: a config and layers pushed through the storage API, then a manifest over them. */
final class GcFixtures {
  private GcFixtures() {}

  record Image(Digest manifest, Digest config, List<Digest> layers, byte[] bytes) {
    List<Digest> blobs() {
      List<Digest> all = new ArrayList<>(layers);
      all.add(config);
      return all;
    }
  }

  static RepositoryName repo(String name) {
    return RepositoryName.parse(name);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Digest pushBlob(RegistryStorage storage, RepositoryName repo, byte[] content) {
    Digest digest = Digest.sha256(content);
    UploadSession upload = storage.startUpload(repo);
    upload.append(ByteBuffer.wrap(content));
    upload.complete(digest);
    return digest;
  }

  /** Pushes the blobs named by {@code layerTexts} (shared text = shared layer) and a config unique to {@code id}. */
  static Image image(RegistryStorage storage, RepositoryName repo, String id, String reference, String extra,
      String... layerTexts) {
    byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + id + "\"}");
    Digest configDigest = pushBlob(storage, repo, config);
    List<Digest> layers = new ArrayList<>();
    List<String> descriptors = new ArrayList<>();
    for (String text : layerTexts) {
      Digest layer = pushBlob(storage, repo, bytes(text));
      layers.add(layer);
      descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer, bytes(text).length));
    }
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
        + ",\"layers\":[" + String.join(",", descriptors) + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    byte[] manifest = bytes(json);
    Digest digest = storage.putManifest(repo, reference == null ? Digest.sha256(manifest).toString() : reference,
        ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
    return new Image(digest, configDigest, layers, manifest);
  }

  static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  static String subject(Image subject) {
    return "\"artifactType\":\"application/vnd.example.sbom\",\"subject\":"
        + descriptor(ManifestMediaTypes.OCI_MANIFEST, subject.manifest(), subject.bytes().length);
  }

  static Digest index(RegistryStorage storage, RepositoryName repo, String reference, List<Image> children) {
    String manifests = children.stream()
        .map(child -> descriptor(ManifestMediaTypes.OCI_MANIFEST, child.manifest(), child.bytes().length))
        .collect(Collectors.joining(","));
    byte[] index = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_INDEX + "\",\"manifests\":["
        + manifests + "]}");
    return storage.putManifest(repo, reference, ManifestMediaTypes.OCI_INDEX, index).digest();
  }
}
