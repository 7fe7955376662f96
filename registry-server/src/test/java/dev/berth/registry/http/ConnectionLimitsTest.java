package dev.berth.registry.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.limits} over real sockets: at a cap idle connections make room; busy ones make the newcomer wait. */
class ConnectionLimitsTest {
  static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path root;
  RegistryServer server;
  final List<RawHttp> clients = new ArrayList<>();

  void start(int connections, int perClient) {
    server = TestServers.start(root, TestServers.loopback().withLimits(new RegistryConfig.Limits(connections, perClient)),
        Authenticator.allowAll());
  }

  @AfterEach
  void stop() {
    clients.forEach(RawHttp::close);
    server.close();
  }

  /** Connections this test holds in the middle of a request. */
  private int busyConnections;

  RawHttp connect() {
    RawHttp client = new RawHttp(server.port());
    clients.add(client);
    return client;
  }

  /** A connection that has sent a request head and is in the middle of its body: busy, not idle. */
  RawHttp busy() {
    int expected = ++busyConnections;
    RawHttp client = connect().send("POST /v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[1000])
        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
    await().atMost(BOUND).until(() -> server.inFlight() == expected);
    return client;
  }

  /** A keep-alive connection that has had its answer and waits for the next request. */
  RawHttp idle() {
    RawHttp client = connect();
    assertThat(client.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
    // the server counts a request out after its response is written, which the client may read first
    await().atMost(BOUND).until(() -> server.inFlight() == busyConnections);
    return client;
  }

  /** A new connection's request gets {@code status} with Retry-After and the spec error {@code code}, then a close. */
  void assertRefused(int status, String code) {
    RawHttp refused = connect().send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n");
    RawHttp.Head head = refused.readHead();
    assertThat(head.status()).isEqualTo(status);
    assertThat(head.headers()).containsEntry("retry-after", "1").containsEntry("connection", "close");
    assertThat(new String(refused.readBytes((int) head.contentLength()), UTF_8)).contains("\"code\":\"" + code + "\"");
    assertThat(refused.readToEnd(0)).isZero();
  }

  int limiterOpen() {
    return server.connectionGuard().limiter().open();
  }

  @Test
  void atTheCapTheLongestIdleConnectionMakesRoomForANewClient() {
    start(3, 0);
    RawHttp oldest = idle();
    idle();
    busy();
    assertThat(limiterOpen()).isEqualTo(3);

    RawHttp newcomer = connect();
    assertThat(newcomer.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
    assertThat(oldest.readToEnd(0)).as("the longest-idle connection was closed").isZero();
    assertThat(server.connectionGuard().limiter().evicted()).isEqualTo(1);
  }

  @Test
  void atTheCapWithEveryConnectionBusyANewClientGets503WithRetryAfter() {
    start(2, 0);
    busy();
    busy();
    assertRefused(503, "UNAVAILABLE");
    await().atMost(BOUND).until(() -> limiterOpen() == 2);
  }

  @Test
  void aClientAtItsOwnCapGets429WhileOthersAreServed() {
    start(100, 2);
    busy();
    busy();
    assertRefused(429, "TOOMANYREQUESTS");
  }

  @Test
  void aClientAtItsOwnCapWithAnIdleConnectionIsServedOnANewOne() {
    start(100, 2);
    RawHttp spare = idle();
    busy();
    assertThat(idle().send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
    assertThat(spare.readToEnd(0)).isZero();
  }
}
