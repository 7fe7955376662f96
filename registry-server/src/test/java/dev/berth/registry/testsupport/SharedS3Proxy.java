package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One s3proxy for every parameterized storage test of this JVM (each test takes its own bucket), started on first use
 * and stopped by its pid when the JVM ends: starting one per test class would cost a JVM start each.
 */
public final class SharedS3Proxy {
  private static S3ProxyServer server;

  private SharedS3Proxy() {}

  public static synchronized S3ProxyServer server() {
    if (server == null) {
      try {
        server = S3ProxyServer.start(Files.createTempDirectory("berth-shared-s3proxy-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      S3ProxyServer started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "s3proxy-stop"));
    }
    return server;
  }
}
