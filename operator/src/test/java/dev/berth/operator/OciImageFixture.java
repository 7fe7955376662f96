package dev.berth.operator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * A one-layer OCI image layout on disk (what {@code skopeo copy oci:DIR:TAG} reads). The layer is an empty tar
 * archive; the config carries a random label so every fixture has its own digests.
 *
 * @param dir the layout directory
 * @param tag the image's ref name in index.json
 * @param manifest the manifest's exact bytes
 */
public record OciImageFixture(Path dir, String tag, byte[] manifest) {

  public static OciImageFixture write(Path dir, String tag) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    byte[] tar = new byte[1024]; // two zero blocks: an empty tar archive
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] layer = gz.toByteArray();
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"fixture\":\""
        + UUID.randomUUID() + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + digest(tar) + "\"]}}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config)
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest(layer) + "\",\"size\":"
        + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    for (byte[] blob : new byte[][] {layer, config, manifest}) {
      Files.write(dir.resolve("blobs/sha256/" + digest(blob).substring("sha256:".length())), blob);
    }
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest(manifest) + "\",\"size\":"
        + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return new OciImageFixture(dir, tag, manifest);
  }

  public String manifestDigest() {
    return digest(manifest);
  }

  static String digest(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
