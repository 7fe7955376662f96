package dev.berth.registry.testsupport;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Berth in a JVM of its own for the tests that kill it or limit its heap: {@code BerthTestMain <root> <port>}.
 * Plain HTTP on 127.0.0.1, no auth, deletes on; SIGTERM closes the server gracefully.
 */
public final class BerthTestMain {
  private BerthTestMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: BerthTestMain <root> <port>");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    RegistryServer server = new RegistryServer(BerthConfigs.loopback(root, port), new FilesystemStorage(root),
        Authenticator.allowAll()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "berth-shutdown"));
    System.out.println("berth test server listening on 127.0.0.1:" + server.port());
    stopped.await();
  }
}
