package dev.berth.registry.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A running SHA-256 whose state can be written down and taken up again by another process: an S3 upload continued on
 * another replica. The state is always BouncyCastle's encoded form of its {@link SHA256Digest}, so replicas of any
 * version read each other's uploads. The bytes are hashed by the JDK's SHA-256 when its internals may be read (the
 * jar's {@code Add-Opens}): it uses the CPU's SHA instructions and is about seven times faster than BouncyCastle's
 * pure-Java digest, which is the other implementation, used when they may not.
 */
abstract sealed class ResumableSha256 permits ResumableSha256.Jdk, ResumableSha256.Bouncy {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResumableSha256.class);
  private static final JdkState JDK_STATE = JdkState.open();

  /** A digest of nothing yet. */
  static ResumableSha256 start() {
    return JDK_STATE != null ? new Jdk(JDK_STATE.fresh()) : new Bouncy(new SHA256Digest());
  }

  /** The digest whose state {@link #encodedState} wrote. */
  static ResumableSha256 resume(byte[] encodedState) {
    SHA256Digest bouncy = new SHA256Digest(encodedState);
    return JDK_STATE != null ? new Jdk(JDK_STATE.from(bouncy, encodedState)) : new Bouncy(bouncy);
  }

  /** Whether the JDK's digest is in use (for the start-up log and the tests). */
  static boolean usesJdkDigest() {
    return JDK_STATE != null;
  }

  abstract void update(byte[] bytes, int offset, int length);

  /** BouncyCastle's encoded state of the digest so far. */
  abstract byte[] encodedState();

  /** The SHA-256 of everything so far; the running digest goes on unchanged. */
  abstract byte[] digestSoFar();

  /** The JDK's SHA-256, its state read and written through its fields. */
  static final class Jdk extends ResumableSha256 {
    private final MessageDigest digest;

    private Jdk(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    @Override
    byte[] encodedState() {
      return JDK_STATE.encode(digest);
    }

    @Override
    byte[] digestSoFar() {
      try {
        return ((MessageDigest) digest.clone()).digest();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
      }
    }
  }

  /** BouncyCastle's SHA-256, which encodes its own state. */
  static final class Bouncy extends ResumableSha256 {
    private final SHA256Digest digest;

    private Bouncy(SHA256Digest digest) {
      this.digest = digest;
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    @Override
    byte[] encodedState() {
      return digest.getEncodedState();
    }

    @Override
    byte[] digestSoFar() {
      byte[] out = new byte[32];
      new SHA256Digest(digest).doFinal(out, 0);
      return out;
    }
  }

  /**
   * The fields of the JDK's SHA-256 (sun.security.provider.SHA2 and DigestBase): the eight chaining words, the
   * partial block and the count of bytes, which are exactly what BouncyCastle's encoded state holds. Null when the
   * JDK does not let them be read, or they are not what this expects.
   */
  private record JdkState(VarHandle spi, VarHandle words, VarHandle block, VarHandle blockFill, VarHandle count,
      byte purpose) {

    /** BouncyCastle's layout: the partial word (4 bytes), its length, the byte count, H1..H8, the words, purpose. */
    private static final int WORDS_AT = 16;
    private static final int WORD_COUNT_AT = 48;
    private static final int BLOCK_WORDS_AT = 52;

    static JdkState open() {
      try {
        MessageDigest probe = MessageDigest.getInstance("SHA-256", "SUN");
        VarHandle spi = field(probe.getClass(), "digestSpi", MessageDigestSpi.class);
        Class<?> sha = spi.get(probe).getClass();
        byte[] fresh = new SHA256Digest().getEncodedState();
        JdkState state = new JdkState(spi, field(sha, "state", int[].class), field(sha, "buffer", byte[].class),
            field(sha, "bufOfs", int.class), field(sha, "bytesProcessed", long.class), fresh[fresh.length - 1]);
        state.selfCheck();
        LOG.debug("SHA-256 of S3 uploads: the JDK's, its state encoded for BouncyCastle");
        return state;
      } catch (ReflectiveOperationException | java.security.GeneralSecurityException | RuntimeException
          | LinkageError e) {
        LOG.info("SHA-256 of S3 uploads: BouncyCastle's (the JDK's is about 7x faster; it needs --add-opens"
            + " java.base/java.security=ALL-UNNAMED --add-opens java.base/sun.security.provider=ALL-UNNAMED,"
            + " which the jar's manifest gives under java -jar): {}", e.toString());
        return null;
      }
    }

    /** The field {@code name} of {@code type} or the nearest superclass that declares it. */
    private static VarHandle field(Class<?> type, String name, Class<?> fieldType) throws ReflectiveOperationException {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
          continue;
        }
        return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, name, fieldType);
      }
      throw new NoSuchFieldException(type.getName() + "." + name);
    }

    MessageDigest fresh() {
      try {
        return MessageDigest.getInstance("SHA-256", "SUN");
      } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
        throw new IllegalStateException("the JDK's SHA-256 went missing", e);
      }
    }

    byte[] encode(MessageDigest digest) {
      Object sha = spi.get(digest);
      int[] h = (int[]) words.get(sha);
      byte[] partial = (byte[]) block.get(sha);
      int filled = (int) blockFill.get(sha);
      long bytes = (long) count.get(sha);
      int wholeWords = filled / 4;
      ByteBuffer out = ByteBuffer.allocate(BLOCK_WORDS_AT + wholeWords * 4 + 1);
      out.put(partial, wholeWords * 4, filled % 4);
      out.putInt(4, filled % 4).putLong(8, bytes);
      for (int i = 0; i < 8; i++) {
        out.putInt(WORDS_AT + i * 4, h[i]);
      }
      out.putInt(WORD_COUNT_AT, wholeWords);
      for (int i = 0; i < wholeWords; i++) {
        out.putInt(BLOCK_WORDS_AT + i * 4, ByteBuffer.wrap(partial, i * 4, 4).getInt());
      }
      out.put(out.capacity() - 1, purpose);
      return out.array();
    }

    /** A JDK digest in the state {@code encoded} describes ({@code bouncy} has already checked that it parses). */
    MessageDigest from(SHA256Digest bouncy, byte[] encoded) {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      int partialBytes = in.getInt(4);
      long bytes = in.getLong(8);
      int wholeWords = in.getInt(WORD_COUNT_AT);
      MessageDigest digest = fresh();
      Object sha = spi.get(digest);
      int[] h = (int[]) words.get(sha);
      for (int i = 0; i < 8; i++) {
        h[i] = in.getInt(WORDS_AT + i * 4);
      }
      byte[] partial = (byte[]) block.get(sha);
      for (int i = 0; i < wholeWords; i++) {
        ByteBuffer.wrap(partial, i * 4, 4).putInt(in.getInt(BLOCK_WORDS_AT + i * 4));
      }
      System.arraycopy(encoded, 0, partial, wholeWords * 4, partialBytes);
      blockFill.set(sha, wholeWords * 4 + partialBytes);
      count.set(sha, bytes);
      return digest;
    }

    /** The layout is what this expects, or the JDK's digest is not used: a wrong state would corrupt uploads. */
    private void selfCheck() {
      byte[] sample = new byte[200];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = (byte) (i * 31 + 7);
      }
      for (int split : new int[] {0, 1, 63, 64, 67, 130}) {
        MessageDigest jdk = fresh();
        jdk.update(sample, 0, split);
        SHA256Digest bouncy = new SHA256Digest();
        bouncy.update(sample, 0, split);
        byte[] expected = bouncy.getEncodedState();
        if (!java.util.Arrays.equals(encode(jdk), expected)) {
          throw new IllegalStateException("the JDK's SHA-256 state does not encode as BouncyCastle's after " + split
              + " bytes");
        }
        MessageDigest resumed = from(new SHA256Digest(expected), expected);
        resumed.update(sample, split, sample.length - split);
        bouncy.update(sample, split, sample.length - split);
        byte[] bouncyOut = new byte[32];
        bouncy.doFinal(bouncyOut, 0);
        if (!java.util.Arrays.equals(resumed.digest(), bouncyOut)) {
          throw new IllegalStateException("the JDK's SHA-256 does not resume BouncyCastle's state after " + split
              + " bytes");
        }
      }
    }
  }
}
