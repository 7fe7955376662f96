package dev.berth.registry.auth;

import dev.berth.registry.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(1), Duration.ofMinutes(5), 4);

  @Test
  void blocksAfterTooManyFailuresWithinTheWindowAndOnlyForAWhile() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.7");
    throttle.recordFailure(client);
    throttle.recordFailure(client);
    assertThat(throttle.blockedFor(client)).isEmpty();
    throttle.recordFailure(client);
    assertThat(throttle.blockedFor(client)).contains(Duration.ofMinutes(5));
    assertThat(throttle.blockedFor(InetAddress.getByName("198.51.100.8"))).as("other clients are not affected").isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(throttle.blockedFor(client)).isEmpty();
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.7");
    throttle.recordFailure(client);
    throttle.recordFailure(client);
    clock.advance(Duration.ofSeconds(61));
    throttle.recordFailure(client);
    throttle.recordFailure(client);
    assertThat(throttle.blockedFor(client)).isEmpty();
    throttle.recordFailure(client);
    assertThat(throttle.blockedFor(client)).isPresent();
  }

  @Test
  void aSuccessClearsEarlierFailures() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.7");
    throttle.recordFailure(client);
    throttle.recordFailure(client);
    throttle.recordSuccess(client);
    throttle.recordFailure(client);
    assertThat(throttle.blockedFor(client)).isEmpty();
  }

  @Test
  void memoryStaysBoundedUnderManyClients() throws Exception {
    for (int i = 0; i < 1000; i++) {
      throttle.recordFailure(InetAddress.getByName("10.0." + (i / 250) + "." + (i % 250)));
    }
    assertThat(throttle.trackedClients()).isEqualTo(4);
  }

  @Test
  void ipv6ClientsCountPerSlash64() throws Exception {
    for (int i = 1; i <= 3; i++) {
      throttle.recordFailure(InetAddress.getByName("2001:db8:1:2::" + i));
    }
    assertThat(throttle.blockedFor(InetAddress.getByName("2001:db8:1:2::99"))).isPresent();
    assertThat(throttle.blockedFor(InetAddress.getByName("2001:db8:1:3::1"))).isEmpty();
  }

  @Test
  void refusesNonsenseSettings() {
    assertThatThrownBy(() -> new LoginThrottle(clock, 0, Duration.ofMinutes(1), Duration.ofMinutes(1), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
