package dev.berth.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers: the digests of fixed inputs from FIPS 180-2's examples (and of the empty string), written out here
 * rather than computed, so a digest that is wrong everywhere (the rest of the suite compares the production digest
 * with itself) fails here.
 */
class DigestTest {
  @ParameterizedTest(name = "{0}(\"{1}\")")
  @CsvSource({
      "sha256, '', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "sha256, abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "sha512, '', cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
      "sha512, abc, ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  })
  void digestsOfFixedInputsAreTheKnownAnswers(String algorithm, String input, String expectedHex) {
    byte[] content = input.getBytes(StandardCharsets.US_ASCII);
    Digest digest = Digest.of(algorithm, content);
    assertThat(digest.toString()).isEqualTo(algorithm + ":" + expectedHex);
    assertThat(Digest.parse(algorithm + ":" + expectedHex)).isEqualTo(digest);

    // The streaming hasher uploads use gives the same answer, fed in two pieces.
    var hasher = digest.newHasher();
    hasher.update(content, 0, content.length / 2);
    hasher.update(content, content.length / 2, content.length - content.length / 2);
    assertThat(HexFormat.of().formatHex(hasher.digest())).isEqualTo(expectedHex);
    if (algorithm.equals("sha256")) {
      assertThat(Digest.sha256(content).hex()).isEqualTo(expectedHex);
    }
  }
}
