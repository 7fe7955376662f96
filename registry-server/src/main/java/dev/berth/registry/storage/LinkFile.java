package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** distribution's link files: the text {@code sha256:<hex>} with no newline, naming a blob in the blob store. */
public final class LinkFile {
  private static final Logger LOG = LoggerFactory.getLogger(LinkFile.class);
  /** A link holds one digest; anything longer is not a link. */
  private static final int MAX_LINK_BYTES = 256;

  private LinkFile() {}

  static void write(StorageDriver driver, Path link, Digest target) {
    driver.write(link, target.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** {@link #read(StorageDriver, Path)} on a local file: for readers of a filesystem root outside this package. */
  public static Optional<Digest> read(Path link) {
    return read(FilesystemDriver.LOCAL, link);
  }

  /** The digest a link names; empty when the link is absent or unreadable as a digest (logged, treated as absent). */
  static Optional<Digest> read(StorageDriver driver, Path link) {
    Optional<byte[]> bytes;
    try {
      bytes = driver.read(link, MAX_LINK_BYTES);
    } catch (StorageDriver.TooLargeException e) {
      LOG.warn("ignoring oversized link file {}", link);
      return Optional.empty();
    }
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    String text = new String(bytes.get(), StandardCharsets.US_ASCII).trim();
    try {
      return Optional.of(Digest.parse(text));
    } catch (RegistryException e) {
      LOG.warn("ignoring link file {} with bad content: {}", link, e.getMessage());
      return Optional.empty();
    }
  }
}
