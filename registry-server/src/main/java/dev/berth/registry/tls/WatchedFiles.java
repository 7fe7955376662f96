package dev.berth.registry.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small set of files (certificate, key, CA; an htpasswd file) whose content is compared with the last read.
 * Kubernetes updates a mounted Secret by swapping a {@code ..data} symlink, which inotify on the file itself misses;
 * re-reading the resolved files and comparing digests sees every kind of update, and the files are small.
 */
public final class WatchedFiles {
  private final List<Path> paths;
  private final long maxBytes;
  private byte[] lastDigest;

  public WatchedFiles(List<Path> paths, long maxBytes) {
    this.paths = List.copyOf(paths);
    this.maxBytes = maxBytes;
  }

  public List<Path> paths() {
    return paths;
  }

  /** Reads every file and remembers its content as seen. */
  public synchronized List<byte[]> read() throws IOException {
    List<byte[]> contents = readContents();
    lastDigest = digest(contents);
    return contents;
  }

  /**
   * Reads every file; returns the contents when they differ from the last read, empty otherwise. A changed set is
   * remembered as seen even if the caller then finds it unusable, so a bad file is reported once, not on every check.
   */
  public synchronized Optional<List<byte[]>> readIfChanged() throws IOException {
    List<byte[]> contents = readContents();
    byte[] digest = digest(contents);
    if (lastDigest != null && MessageDigest.isEqual(digest, lastDigest)) {
      return Optional.empty();
    }
    lastDigest = digest;
    return Optional.of(contents);
  }

  private List<byte[]> readContents() throws IOException {
    List<byte[]> contents = new ArrayList<>(paths.size());
    for (Path path : paths) {
      try (InputStream in = Files.newInputStream(path)) {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw new IOException(path + " is larger than " + maxBytes + " bytes");
        }
        contents.add(bytes);
      }
    }
    return contents;
  }

  private static byte[] digest(List<byte[]> contents) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (byte[] content : contents) {
        // Length prefix so that moving bytes from one file to the next still counts as a change.
        sha256.update(Long.toString(content.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha256.update((byte) 0);
        sha256.update(content);
      }
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
