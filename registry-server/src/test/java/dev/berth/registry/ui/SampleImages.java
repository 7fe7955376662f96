package dev.berth.registry.ui;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.RegistryStorage;
import dev.berth.registry.storage.UploadSession;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Small images the UI tests push straight into storage: single-platform images with a config (created, labels,
 * entrypoint, cmd), an OCI index of two platforms, and an SBOM referring to an image.
 */
public final class SampleImages {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String SBOM_TYPE = "application/spdx+json";

  private final RegistryStorage storage;

  public SampleImages(RegistryStorage storage) {
    this.storage = storage;
  }

  /** A pushed manifest: its digest, its own size and its total with what it references. */
  public record Pushed(String digest, long manifestSize, long totalSize) {}

  /** A linux image of one layer holding {@code layerText}, tagged {@code tag} (null: by digest only). */
  public Pushed image(RepositoryName repo, String tag, String arch, String layerText) {
    String config = """
        {"created":"2026-11-30T12:00:00Z","os":"linux","architecture":"%s",
         "config":{"Entrypoint":["/bin/app"],"Cmd":["--serve"],"Labels":{"team":"a"},"WorkingDir":"/srv"},
         "rootfs":{"type":"layers","diff_ids":[]}}""".formatted(arch);
    Digest configDigest = blob(repo, config);
    Digest layer = blob(repo, layerText);
    String manifest = """
        {"schemaVersion":2,"mediaType":"%s",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
        .formatted(OCI_MANIFEST, configDigest, utf8(config).length, layer, utf8(layerText).length);
    byte[] bytes = utf8(manifest);
    String reference = tag == null ? Digest.sha256(bytes).toString() : tag;
    String digest = storage.putManifest(repo, reference, OCI_MANIFEST, bytes).digest().toString();
    return new Pushed(digest, bytes.length, bytes.length + utf8(config).length + utf8(layerText).length);
  }

  /** An index of an amd64 and an arm64 (v8) image, tagged {@code tag}. */
  public Pushed index(RepositoryName repo, String tag, Pushed amd64, Pushed arm64) {
    String index = """
        {"schemaVersion":2,"mediaType":"%s","manifests":[
          {"mediaType":"%s","digest":"%s","size":%d,"platform":{"os":"linux","architecture":"amd64"}},
          {"mediaType":"%s","digest":"%s","size":%d,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}],
         "annotations":{"org.opencontainers.image.source":"https://example.com/app"}}"""
        .formatted(OCI_INDEX, OCI_MANIFEST, amd64.digest(), amd64.manifestSize(), OCI_MANIFEST, arm64.digest(),
            arm64.manifestSize());
    byte[] bytes = utf8(index);
    String digest = storage.putManifest(repo, tag, OCI_INDEX, bytes).digest().toString();
    return new Pushed(digest, bytes.length, bytes.length + amd64.totalSize() + arm64.totalSize());
  }

  /** An SPDX SBOM whose subject is {@code subject}, pushed by digest as referrers are. */
  public Pushed sbom(RepositoryName repo, Pushed subject) {
    Digest empty = blob(repo, "{}");
    String content = "{\"spdxVersion\":\"SPDX-2.3\"}";
    String sbom = """
        {"schemaVersion":2,"mediaType":"%s","artifactType":"%s",
         "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},
         "layers":[{"mediaType":"%s","digest":"%s","size":%d}],
         "subject":{"mediaType":"%s","digest":"%s","size":%d}}"""
        .formatted(OCI_MANIFEST, SBOM_TYPE, empty, SBOM_TYPE, blob(repo, content), utf8(content).length,
            OCI_MANIFEST, subject.digest(), subject.manifestSize());
    byte[] bytes = utf8(sbom);
    String digest = storage.putManifest(repo, Digest.sha256(bytes).toString(), OCI_MANIFEST, bytes).digest().toString();
    return new Pushed(digest, bytes.length, bytes.length + 2 + utf8(content).length);
  }

  private Digest blob(RepositoryName repo, String content) {
    byte[] bytes = utf8(content);
    UploadSession upload = storage.startUpload(repo);
    try {
      upload.append(ByteBuffer.wrap(bytes));
      return upload.complete(Digest.sha256(bytes)).digest();
    } finally {
      upload.release();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
