package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void parsesTheThreeForms() {
    assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 10));
    assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 10));
    assertThat(ByteRange.parse("bytes=-5", 100)).isEqualTo(new ByteRange(95, 5));
    assertThat(ByteRange.parse("bytes=50-1000", 100)).isEqualTo(new ByteRange(50, 50));
  }

  @Test
  void noHeaderOrMultiRangeMeansTheWholeBlob() {
    assertThat(ByteRange.parse(null, 100)).isNull();
    assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
  }

  @Test
  void rangesPastTheEndAreUnsatisfiable() {
    for (String header : new String[] {"bytes=100-", "bytes=100-200", "bytes=9-3", "bytes=-0"}) {
      assertThatThrownBy(() -> ByteRange.parse(header, 100)).as(header)
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID);
            assertThat(e.httpStatus()).isEqualTo(416);
          });
    }
  }
}
