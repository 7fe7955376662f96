package dev.berth.registry.testsupport;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import dev.berth.registry.oci.Digest;

/**
 * A large, deterministic byte stream made on the fly (a random 1 MiB block, each copy stamped with its index so no
 * two MiB are equal), for uploads bigger than a test would want to hold or store twice. Counts what was read, so a
 * test can act in the middle of a transfer.
 */
public final class GeneratedContent extends InputStream {
  private static final int BLOCK = 1 << 20;

  private final long length;
  private final byte[] block = new byte[BLOCK];
  private final AtomicLong position = new AtomicLong();

  public GeneratedContent(long seed, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    this.length = length;
    new SplittableRandom(seed).nextBytes(block);
  }

  public long length() {
    return length;
  }

  /** Bytes handed out so far (readable from another thread). */
  public long bytesRead() {
    return position.get();
  }

  /** The sha256 of the whole stream, computed by generating it once more (the stream itself is untouched). */
  public static Digest sha256(long seed, long length) {
    try {
      MessageDigest hasher = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(new GeneratedContent(seed, length), hasher)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int count) {
    long pos = position.get();
    if (count == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int inBlock = (int) (pos % BLOCK);
    int n = (int) Math.min(Math.min(count, BLOCK - inBlock), length - pos);
    System.arraycopy(block, inBlock, target, offset, n);
    // stamp the block index over the first 8 bytes of each MiB
    long blockIndex = pos / BLOCK;
    for (int i = inBlock; i < 8 && i < inBlock + n; i++) {
      target[offset + i - inBlock] = (byte) (blockIndex >>> (8 * i));
    }
    position.addAndGet(n);
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, length - position.get());
  }
}
