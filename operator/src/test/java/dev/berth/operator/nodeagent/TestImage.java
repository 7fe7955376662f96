package dev.berth.operator.nodeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small single-layer image for this machine's platform, written as an OCI image layout directory (what skopeo
 * copies from): a gzip tar layer holding one file of random bytes, its config and manifest, tagged in index.json.
 */
record TestImage(Path layout, String tag, String manifestDigest) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static TestImage create(Path layout, String tag) throws IOException {
    byte[] file = new byte[64 * 1024];
    new SecureRandom().nextBytes(file);
    byte[] tar = tar("data/random.bin", file);
    byte[] layer = gzip(tar);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    String layerDigest = writeBlob(layout, layer);

    ObjectNode config = JSON.createObjectNode()
        .put("architecture", architecture())
        .put("os", "linux");
    config.putObject("config").putArray("Cmd").add("/data/random.bin");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    rootfs.putArray("diff_ids").add("sha256:" + OwnedFileInstaller.sha256(tar));
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = writeBlob(layout, configBytes);

    ObjectNode manifest = JSON.createObjectNode()
        .put("schemaVersion", 2)
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.putObject("config")
        .put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("digest", configDigest)
        .put("size", configBytes.length);
    manifest.putArray("layers").addObject()
        .put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
        .put("digest", layerDigest)
        .put("size", layer.length);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    String manifestDigest = writeBlob(layout, manifestBytes);

    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
    index.putArray("manifests").addObject()
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("digest", manifestDigest)
        .put("size", manifestBytes.length)
        .putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return new TestImage(layout, tag, manifestDigest);
  }

  /** skopeo's name for the image: {@code oci:<dir>:<tag>}. */
  String skopeoSource() {
    return "oci:" + layout + ":" + tag;
  }

  static String architecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  private static String writeBlob(Path layout, byte[] content) throws IOException {
    String hex = OwnedFileInstaller.sha256(content);
    Files.write(layout.resolve("blobs/sha256/" + hex), content);
    return "sha256:" + hex;
  }

  private static byte[] gzip(byte[] content) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    }
    return out.toByteArray();
  }

  /** A ustar archive with the directory {@code data/} and one regular file. */
  private static byte[] tar(String name, byte[] content) throws IOException {
    var out = new ByteArrayOutputStream();
    String dir = name.substring(0, name.indexOf('/') + 1);
    out.write(tarHeader(dir, 0, '5', 0755));
    out.write(tarHeader(name, content.length, '0', 0644));
    out.write(content);
    out.write(new byte[(512 - content.length % 512) % 512]);
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  private static byte[] tarHeader(String name, long size, char type, int mode) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, String.format("%07o", mode));
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", size));
    put(header, 136, String.format("%011o", 1_700_000_000L));
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    header[156] = (byte) type;
    put(header, 257, "ustar");
    put(header, 263, "00");
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    put(header, 148, String.format("%06o", checksum));
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
