package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.Digest;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GeneratedContentTest {
  private static final int MIB = 1 << 20;

  @Test
  void yieldsExactlyTheLengthAndCountsIt() throws Exception {
    GeneratedContent content = new GeneratedContent(1, 3L * MIB + 17);
    byte[] all = content.readAllBytes();

    assertThat(all).hasSize(3 * MIB + 17);
    assertThat(content.bytesRead()).isEqualTo(3L * MIB + 17);
    assertThat(content.read()).isEqualTo(-1);
  }

  @Test
  void sameSeedSameBytesAndNoTwoMibibytesAlike() throws Exception {
    byte[] first = new GeneratedContent(5, 2L * MIB).readAllBytes();
    byte[] again = new GeneratedContent(5, 2L * MIB).readAllBytes();
    byte[] other = new GeneratedContent(6, 2L * MIB).readAllBytes();

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(Arrays.copyOfRange(first, 0, MIB)).isNotEqualTo(Arrays.copyOfRange(first, MIB, 2 * MIB));
  }

  @Test
  void smallReadsSeeTheSameBytesAsLargeOnes() throws Exception {
    byte[] whole = new GeneratedContent(9, MIB + 100).readAllBytes();
    byte[] piecewise = new byte[whole.length];
    try (InputStream in = new GeneratedContent(9, MIB + 100)) {
      for (int i = 0, n; i < piecewise.length; i += n) {
        n = in.read(piecewise, i, Math.min(3, piecewise.length - i));
      }
    }
    assertThat(piecewise).isEqualTo(whole);
  }

  @Test
  void sha256MatchesTheStream() throws Exception {
    byte[] bytes = new GeneratedContent(3, MIB + 5).readAllBytes();

    assertThat(GeneratedContent.sha256(3, MIB + 5)).isEqualTo(Digest.sha256(bytes));
  }

  @Test
  void refusesNegativeLength() {
    assertThatThrownBy(() -> new GeneratedContent(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
