package dev.berth.registry.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.oci.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes generated images into an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code
 * blobs/sha256/...}) that skopeo can copy with {@code oci:<dir>:<tag>}. Layers are gzip'd tars holding one file of
 * random bytes of the requested size, so every layer is distinct and incompressible, like real binaries. The same seed
 * gives the same bytes, hence the same digests.
 */
public final class OciImageFactory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 1 << 20;

  private final Path layout;
  private final Path blobs;
  private final SplittableRandom random;
  private final List<ObjectNode> indexEntries = new ArrayList<>();

  /** A factory writing into {@code layout}, which must be empty or absent. */
  public OciImageFactory(Path layout, long seed) {
    this.layout = layout;
    this.blobs = layout.resolve("blobs").resolve("sha256");
    this.random = new SplittableRandom(seed);
    try {
      if (Files.isDirectory(layout)) {
        try (var entries = Files.list(layout)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException("OCI layout directory must be empty: " + layout);
          }
        }
      }
      Files.createDirectories(blobs);
      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      writeIndexJson();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path layout() {
    return layout;
  }

  /** Writes a linux/amd64 image with one layer per size (bytes of file content) and tags it {@code tag}. */
  public OciImage addImage(String tag, long... layerSizes) {
    OciImage image = writeImage(Platform.LINUX_AMD64, layerSizes);
    addIndexEntry(OciMediaTypes.MANIFEST, image.manifest(), image.manifestSize(), tag);
    return image;
  }

  /**
   * Writes an OCI index listing a linux/amd64 and a linux/arm64 image (each with its own layers of the given sizes)
   * and tags the index {@code tag}.
   */
  public OciIndexImage addMultiPlatformIndex(String tag, long... layerSizes) {
    List<OciImage> images = List.of(writeImage(Platform.LINUX_AMD64, layerSizes),
        writeImage(Platform.LINUX_ARM64, layerSizes));
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", OciMediaTypes.INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (OciImage image : images) {
      ObjectNode entry = descriptor(OciMediaTypes.MANIFEST, image.manifest(), image.manifestSize());
      ObjectNode platform = entry.putObject("platform");
      platform.put("architecture", image.platform().architecture());
      platform.put("os", image.platform().os());
      manifests.add(entry);
    }
    byte[] bytes = toJson(index);
    Digest digest = writeBlob(bytes);
    addIndexEntry(OciMediaTypes.INDEX, digest, bytes.length, tag);
    return new OciIndexImage(digest, bytes.length, images);
  }

  private OciImage writeImage(Platform platform, long... layerSizes) {
    if (layerSizes.length == 0) {
      throw new IllegalArgumentException("an image needs at least one layer");
    }
    List<Digest> layers = new ArrayList<>();
    List<Long> layerBlobSizes = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < layerSizes.length; i++) {
      WrittenLayer layer = writeLayer("layer-" + i + "/data.bin", layerSizes[i]);
      layers.add(layer.digest());
      layerBlobSizes.add(layer.size());
      diffIds.add(layer.diffId().toString());
    }

    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    config.putObject("config").putArray("Cmd").add("/layer-0/data.bin");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    diffIds.forEach(rootfs.putArray("diff_ids")::add);
    byte[] configBytes = toJson(config);
    Digest configDigest = writeBlob(configBytes);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OciMediaTypes.MANIFEST);
    manifest.set("config", descriptor(OciMediaTypes.CONFIG, configDigest, configBytes.length));
    ArrayNode layerArray = manifest.putArray("layers");
    for (int i = 0; i < layers.size(); i++) {
      layerArray.add(descriptor(OciMediaTypes.LAYER_GZIP, layers.get(i), layerBlobSizes.get(i)));
    }
    byte[] manifestBytes = toJson(manifest);
    Digest manifestDigest = writeBlob(manifestBytes);
    return new OciImage(platform, manifestDigest, manifestBytes.length, configDigest, layers);
  }

  private record WrittenLayer(Digest digest, long size, Digest diffId) {}

  /** Streams random content through tar, gzip and two digests straight to disk: never whole in memory. */
  private WrittenLayer writeLayer(String fileName, long contentSize) {
    if (contentSize < 0) {
      throw new IllegalArgumentException("layer size must not be negative: " + contentSize);
    }
    try {
      Path temp = Files.createTempFile(blobs, ".layer-", ".tmp");
      MessageDigest blobHash = MessageDigest.getInstance("SHA-256");
      MessageDigest tarHash = MessageDigest.getInstance("SHA-256");
      GzipParameters gzip = new GzipParameters();
      gzip.setCompressionLevel(Deflater.BEST_SPEED);
      gzip.setModificationTime(0);
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), CHUNK);
          DigestOutputStream blobOut = new DigestOutputStream(file, blobHash);
          GzipCompressorOutputStream gzipOut = new GzipCompressorOutputStream(blobOut, gzip);
          DigestOutputStream tarDigestOut = new DigestOutputStream(gzipOut, tarHash);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(tarDigestOut)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry entry = new TarArchiveEntry(fileName);
        entry.setSize(contentSize);
        entry.setMode(0644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        byte[] buffer = new byte[CHUNK];
        for (long left = contentSize; left > 0; ) {
          int n = (int) Math.min(buffer.length, left);
          random.nextBytes(buffer);
          tar.write(buffer, 0, n);
          left -= n;
        }
        tar.closeArchiveEntry();
        tar.finish();
      }
      Digest digest = new Digest("sha256", HexFormat.of().formatHex(blobHash.digest()));
      Digest diffId = new Digest("sha256", HexFormat.of().formatHex(tarHash.digest()));
      long size = Files.size(temp);
      Files.move(temp, blobs.resolve(digest.hex()), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new WrittenLayer(digest, size, diffId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Digest writeBlob(byte[] content) {
    Digest digest = Digest.sha256(content);
    try {
      Files.write(blobs.resolve(digest.hex()), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return digest;
  }

  private void addIndexEntry(String mediaType, Digest digest, long size, String tag) {
    ObjectNode entry = descriptor(mediaType, digest, size);
    entry.putObject("annotations").put(OciMediaTypes.REF_NAME, tag);
    indexEntries.removeIf(existing -> tag.equals(existing.path("annotations").path(OciMediaTypes.REF_NAME).asText()));
    indexEntries.add(entry);
    try {
      writeIndexJson();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeIndexJson() throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", OciMediaTypes.INDEX);
    index.putArray("manifests").addAll(indexEntries);
    Files.write(layout.resolve("index.json"), toJson(index));
  }

  private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mediaType", mediaType);
    node.put("digest", digest.toString());
    node.put("size", size);
    return node;
  }

  private static byte[] toJson(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
