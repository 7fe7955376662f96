package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalForwarderTest {
  private static final String LOOPBACK = "127.0.0.1";
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private ServerSocket echo;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
    pool.submit(() -> {
      for (int accepted = 0; accepted < 20 && !echo.isClosed(); accepted++) {
        Socket socket = echo.accept();
        pool.submit(() -> {
          try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
          }
          return null;
        });
      }
      return null;
    });
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void forwardsBytesBothWaysUnchanged() throws Exception {
    try (var forwarder = new LocalForwarder(LOOPBACK, 0, LOOPBACK, echo.getLocalPort(), 4, Duration.ofSeconds(2))
        .start(); var client = new Socket(LOOPBACK, forwarder.port())) {
      client.setSoTimeout(10_000);
      byte[] payload = new byte[4 * 1024 * 1024];
      new Random(42).nextBytes(payload);
      Future<byte[]> received = pool.submit(() -> client.getInputStream().readNBytes(payload.length));
      try (OutputStream out = client.getOutputStream()) {
        out.write(payload);
        out.flush();
        assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(payload);
      }
    }
  }

  @Test
  void refusesConnectionsBeyondTheLimit() throws Exception {
    try (var forwarder = new LocalForwarder(LOOPBACK, 0, LOOPBACK, echo.getLocalPort(), 1, Duration.ofSeconds(2))
        .start(); var first = new Socket(LOOPBACK, forwarder.port())) {
      first.getOutputStream().write('a');
      first.setSoTimeout(5_000);
      assertThat(first.getInputStream().read()).isEqualTo('a');
      await().atMost(Duration.ofSeconds(5)).until(() -> forwarder.activeConnections() == 1);

      try (var second = new Socket(LOOPBACK, forwarder.port())) {
        second.setSoTimeout(5_000);
        assertThat(second.getInputStream().read()).as("closed by the forwarder").isEqualTo(-1);
      }
    }
  }

  @Test
  void closesTheClientWhenTheTargetIsDown() throws Exception {
    int deadPort;
    try (var unused = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      deadPort = unused.getLocalPort();
    }
    try (var forwarder = new LocalForwarder(LOOPBACK, 0, LOOPBACK, deadPort, 4, Duration.ofSeconds(2)).start();
        var client = new Socket(LOOPBACK, forwarder.port())) {
      client.setSoTimeout(5_000);
      InputStream in = client.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void closeReleasesThePort() throws Exception {
    var forwarder = new LocalForwarder(LOOPBACK, 0, LOOPBACK, echo.getLocalPort(), 4, Duration.ofSeconds(2)).start();
    int port = forwarder.port();
    forwarder.close();
    try (var rebound = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      assertThat(rebound.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aTakenPortIsAClearError() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      var forwarder = new LocalForwarder(LOOPBACK, taken.getLocalPort(), LOOPBACK, echo.getLocalPort(), 4,
          Duration.ofSeconds(2));
      org.assertj.core.api.Assertions.assertThatThrownBy(forwarder::start)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen on");
    }
  }
}
