package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import org.junit.jupiter.api.Test;

class ManifestCacheTest {
  private static Digest digestOf(byte[] content) {
    return Digest.sha256(content);
  }

  @Test
  void evictsLeastRecentlyUsedBeyondTheByteBound() {
    ManifestCache cache = new ManifestCache(10);
    byte[] a = {1, 1, 1, 1};
    byte[] b = {2, 2, 2, 2};
    byte[] c = {3, 3, 3, 3};
    cache.put(digestOf(a), a);
    cache.put(digestOf(b), b);
    cache.get(digestOf(a)); // a is now more recent than b
    cache.put(digestOf(c), c);

    assertThat(cache.get(digestOf(a))).hasValueSatisfying(v -> assertThat(v).isEqualTo(a));
    assertThat(cache.get(digestOf(b))).isEmpty();
    assertThat(cache.get(digestOf(c))).isPresent();
    assertThat(cache.sizeInBytes()).isEqualTo(8);
  }

  @Test
  void entriesLargerThanTheBoundAreNotCached() {
    ManifestCache cache = new ManifestCache(3);
    byte[] big = {1, 2, 3, 4};
    cache.put(digestOf(big), big);
    assertThat(cache.get(digestOf(big))).isEmpty();
    assertThat(cache.sizeInBytes()).isZero();
  }

  @Test
  void callersCannotChangeWhatIsCached() {
    ManifestCache cache = new ManifestCache(100);
    byte[] content = {1, 2, 3};
    cache.put(digestOf(content), content);
    content[0] = 9;
    cache.get(digestOf(new byte[] {1, 2, 3})).orElseThrow()[1] = 9;
    assertThat(cache.get(digestOf(new byte[] {1, 2, 3}))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
  }
}
