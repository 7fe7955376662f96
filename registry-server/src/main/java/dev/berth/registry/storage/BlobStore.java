package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The global content-addressed store ({@code blobs/<alg>/<xx>/<hex>/data}). A data file exists only once its bytes
 * were verified against its digest, so existence is the whole truth; repositories see blobs only through links.
 * Bytes arrive through the medium's upload area; this class reads them and stores small content (manifests).
 */
final class BlobStore {
  private final StorageLayout layout;
  private final StorageDriver driver;

  BlobStore(StorageLayout layout, StorageDriver driver) {
    this.layout = layout;
    this.driver = driver;
  }

  /** The blob's size, when it exists. */
  Optional<Long> size(Digest digest) {
    var size = driver.size(layout.blobData(digest));
    return size.isPresent() ? Optional.of(size.getAsLong()) : Optional.empty();
  }

  boolean exists(Digest digest) {
    return driver.size(layout.blobData(digest)).isPresent();
  }

  /** Opens the data for reading; NoSuchFileException when it is absent (e.g. garbage-collected meanwhile). */
  OpenBlob open(Digest digest) throws NoSuchFileException {
    return driver.open(digest, layout.blobData(digest));
  }

  Path data(Digest digest) {
    return layout.blobData(digest);
  }

  /**
   * Reads a manifest's bytes. Only manifests are read whole, and they are at most 4 MiB; a revision link pointing at
   * something larger (a hand-edited root) is refused instead of being loaded into memory.
   */
  byte[] read(Digest digest) throws IOException {
    Path data = layout.blobData(digest);
    return driver.read(data, ManifestParser.MAX_MANIFEST_BYTES)
        .orElseThrow(() -> new NoSuchFileException(data.toString()));
  }

  /** Stores small content (a manifest) whose digest the caller computed from these very bytes. */
  void storeBytes(Digest digest, byte[] content) {
    if (!exists(digest)) {
      driver.write(layout.blobData(digest), content);
    }
  }
}
