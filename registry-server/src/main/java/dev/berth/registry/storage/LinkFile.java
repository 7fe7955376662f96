package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.RegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  static void write(Path link, Digest target) {
    DurableFiles.write(link, target.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** The digest a link names; empty when the link is absent or unreadable as a digest (logged, treated as absent). */
  public static Optional<Digest> read(Path link) {
    // One open and one read, no stat: links are read on every manifest and blob request.
    ByteBuffer buffer = ByteBuffer.allocate(MAX_LINK_BYTES + 1);
    try (SeekableByteChannel channel = Files.newByteChannel(link)) {
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // fill up to one byte past the limit, or to the end of the file
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + link, e);
    }
    if (!buffer.hasRemaining()) {
      LOG.warn("ignoring oversized link file {}", link);
      return Optional.empty();
    }
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    try {
      return Optional.of(Digest.parse(text));
    } catch (RegistryException e) {
      LOG.warn("ignoring link file {} with bad content: {}", link, e.getMessage());
      return Optional.empty();
    }
  }
}
