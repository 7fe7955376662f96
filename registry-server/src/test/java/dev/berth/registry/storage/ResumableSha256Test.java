package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

/**
 * The running SHA-256 of S3 uploads: hashed by the JDK's digest, its state written and read in BouncyCastle's encoded
 * form byte for byte, so an upload continues on a replica of any version, at every offset within a block.
 */
class ResumableSha256Test {
  private final byte[] data = new byte[3 * 1024 + 77];

  ResumableSha256Test() {
    new Random(5).nextBytes(data);
  }

  @Test
  void theJdksDigestIsInUseWhereTheJarOpensItsInternals() {
    // the test JVM gets the manifest's --add-opens (see the build); without them uploads would use BouncyCastle's
    assertThat(ResumableSha256.usesJdkDigest()).isTrue();
    assertThat(ResumableSha256.start()).isInstanceOf(ResumableSha256.Jdk.class);
  }

  @Test
  void itsStateIsBouncyCastlesEncodedStateAtEveryOffsetOfABlock() {
    for (int split = 0; split <= 200; split++) {
      ResumableSha256 ours = ResumableSha256.start();
      ours.update(data, 0, split);
      SHA256Digest bouncy = new SHA256Digest();
      bouncy.update(data, 0, split);
      assertThat(ours.encodedState()).as("after %d bytes", split).isEqualTo(bouncy.getEncodedState());
    }
  }

  @Test
  void anUploadHashedInPiecesByEitherImplementationEndsWithTheWholeDigest() throws Exception {
    byte[] whole = MessageDigest.getInstance("SHA-256").digest(data);
    for (int split : new int[] {0, 1, 3, 4, 55, 56, 63, 64, 65, 1000, data.length}) {
      ResumableSha256 first = ResumableSha256.start();
      first.update(data, 0, split);
      ResumableSha256 second = ResumableSha256.resume(first.encodedState());
      second.update(data, split, data.length - split);
      assertThat(second.digestSoFar()).as("JDK then JDK, split at %d", split).isEqualTo(whole);

      SHA256Digest olderReplica = new SHA256Digest();
      olderReplica.update(data, 0, split);
      ResumableSha256 fromOlder = ResumableSha256.resume(olderReplica.getEncodedState());
      fromOlder.update(data, split, data.length - split);
      assertThat(fromOlder.digestSoFar()).as("BouncyCastle then JDK, split at %d", split).isEqualTo(whole);

      SHA256Digest toOlder = new SHA256Digest(first.encodedState());
      toOlder.update(data, split, data.length - split);
      byte[] out = new byte[32];
      toOlder.doFinal(out, 0);
      assertThat(out).as("JDK then BouncyCastle, split at %d", split).isEqualTo(whole);
    }
  }

  @Test
  void askingForTheDigestSoFarLeavesTheRunningDigestAsItWas() throws Exception {
    ResumableSha256 running = ResumableSha256.start();
    running.update(data, 0, 100);
    byte[] state = running.encodedState();
    assertThat(running.digestSoFar()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(
        java.util.Arrays.copyOf(data, 100)));
    assertThat(running.encodedState()).isEqualTo(state);
    running.update(data, 100, data.length - 100);
    assertThat(running.digestSoFar()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
