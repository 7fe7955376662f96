package dev.berth.registry.storage;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The global content-addressed store ({@code blobs/<alg>/<xx>/<hex>/data}). A data file exists only once its bytes
 * were verified against its digest, so existence is the whole truth; repositories see blobs only through links.
 */
final class BlobStore {
  private final StorageLayout layout;

  BlobStore(StorageLayout layout) {
    this.layout = layout;
  }

  /** The blob's size, when it exists. */
  Optional<Long> size(Digest digest) {
    try {
      return Optional.of(Files.size(layout.blobData(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat blob " + digest, e);
    }
  }

  boolean exists(Digest digest) {
    return Files.isRegularFile(layout.blobData(digest));
  }

  /** Opens the data for reading; NoSuchFileException when it is absent (e.g. garbage-collected meanwhile). */
  FileChannel open(Digest digest) throws IOException {
    return FileChannel.open(layout.blobData(digest), StandardOpenOption.READ);
  }

  /**
   * Reads a manifest's bytes. Only manifests are read whole, and they are at most 4 MiB; a revision link pointing at
   * something larger (a hand-edited root) is refused instead of being loaded into memory.
   */
  byte[] read(Digest digest) throws IOException {
    Path data = layout.blobData(digest);
    long size = Files.size(data);
    if (size > ManifestParser.MAX_MANIFEST_BYTES) {
      throw new IOException(digest + " is " + size + " bytes, too large to be a manifest");
    }
    return Files.readAllBytes(data);
  }

  /** Stores small content (a manifest) whose digest the caller computed from these very bytes. */
  void storeBytes(Digest digest, byte[] content) {
    if (!exists(digest)) {
      DurableFiles.write(layout.blobData(digest), content);
    }
  }

  /**
   * Makes a verified file the blob's data by renaming it into place. When the blob already exists (a concurrent push
   * of the same content won), the existing data stays and {@code verifiedFile} is removed.
   */
  void adopt(Path verifiedFile, Digest digest) {
    if (exists(digest)) {
      try {
        Files.deleteIfExists(verifiedFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + verifiedFile, e);
      }
      return;
    }
    DurableFiles.moveInto(verifiedFile, layout.blobData(digest));
  }
}
