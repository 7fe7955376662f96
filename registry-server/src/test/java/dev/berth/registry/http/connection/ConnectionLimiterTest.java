package dev.berth.registry.http.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.http.connection.ConnectionLimiter.Admission;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Admission decisions with stand-in connections: who is evicted, who is refused, and how refusals are bounded. */
class ConnectionLimiterTest {
  static final InetAddress A = address(1);
  static final InetAddress B = address(2);

  static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection idle since {@code idleSince} (MAX_VALUE: busy) that records its eviction. */
  static final class Fake implements ConnectionLimiter.Connection {
    final InetAddress client;
    long idleSince;
    boolean evicted;

    Fake(InetAddress client, long idleSince) {
      this.client = client;
      this.idleSince = idleSince;
    }

    @Override
    public InetAddress client() {
      return client;
    }

    @Override
    public long idleSinceNanos() {
      return idleSince;
    }

    @Override
    public void evict() {
      evicted = true;
    }
  }

  static Fake busy(InetAddress client) {
    return new Fake(client, Long.MAX_VALUE);
  }

  @Test
  void atTheCapTheLongestIdleIsEvictedOnceAndTheNewcomerAdmitted() {
    ConnectionLimiter limiter = new ConnectionLimiter(3, 0, 10);
    Fake newer = new Fake(A, 200);
    Fake older = new Fake(B, 100);
    assertThat(limiter.admit(newer)).isEqualTo(Admission.ADMITTED);
    assertThat(limiter.admit(older)).isEqualTo(Admission.ADMITTED);
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.ADMITTED);

    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.ADMITTED);
    assertThat(older.evicted).isTrue();
    assertThat(newer.evicted).isFalse();
    // the evicted one closing later does not free a second place
    limiter.release(older, Admission.ADMITTED);
    assertThat(limiter.open()).isEqualTo(3);
    assertThat(limiter.admit(busy(B))).isEqualTo(Admission.ADMITTED);
    assertThat(newer.evicted).isTrue();
    assertThat(limiter.evicted()).isEqualTo(2);
  }

  @Test
  void withEveryConnectionBusyANewcomerIsRefusedAndRefusalsAreBounded() {
    ConnectionLimiter limiter = new ConnectionLimiter(2, 0, 2);
    Fake first = busy(A);
    limiter.admit(first);
    limiter.admit(busy(B));
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.REFUSED_FULL);
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.REFUSED_FULL);
    assertThat(limiter.admit(busy(A))).as("no room left even to refuse").isEqualTo(Admission.DROPPED);
    Fake refused = busy(A);
    limiter.release(refused, Admission.REFUSED_FULL);
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.REFUSED_FULL);
    limiter.release(first, Admission.ADMITTED);
    limiter.release(refused, Admission.REFUSED_FULL);
    assertThat(limiter.admit(busy(A))).as("a refusal still holds its descriptor").isEqualTo(Admission.REFUSED_FULL);
    limiter.release(refused, Admission.REFUSED_FULL);
    limiter.release(refused, Admission.REFUSED_FULL);
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.ADMITTED);
    assertThat(limiter.refused()).isEqualTo(4);
  }

  @Test
  void thePerClientCapEvictsOnlyThatClientsIdleConnectionsThenRefuses() {
    ConnectionLimiter limiter = new ConnectionLimiter(100, 2, 10);
    Fake otherIdle = new Fake(B, 1);
    Fake ownIdle = new Fake(A, 50);
    limiter.admit(otherIdle);
    limiter.admit(ownIdle);
    limiter.admit(busy(A));
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.ADMITTED);
    assertThat(ownIdle.evicted).isTrue();
    assertThat(otherIdle.evicted).as("another client's connection is not touched").isFalse();
    assertThat(limiter.admit(busy(A))).isEqualTo(Admission.REFUSED_CLIENT);
    assertThat(limiter.admit(busy(B))).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void theDerivedCapLeavesRoomForAFilePerConnectionAndTheProcess() {
    assertThat(DescriptorBudget.connectionCap(1024)).isEqualTo(384);
    assertThat(DescriptorBudget.connectionCap(1_048_576)).isEqualTo(524_160);
    assertThat(DescriptorBudget.connectionCap(100)).isEqualTo(16);
    assertThat(DescriptorBudget.connectionCap()).isPositive();
  }
}
