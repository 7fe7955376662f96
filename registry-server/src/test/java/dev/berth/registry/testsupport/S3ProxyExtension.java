package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One s3proxy per test class: started before the first test, stopped after the last. Register it as a static field,
 * and give each test its own bucket:
 *
 * <pre>
 * &#64;RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();
 * ...
 * String bucket = S3.server().newBucket();
 * try (S3Client s3 = S3.server().client()) { ... }
 * </pre>
 *
 * A test that must kill or restart the S3 server itself uses {@link S3ProxyServer#start} directly.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
  private S3ProxyServer server;
  private Path workDir;

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      workDir = Files.createTempDirectory("berth-s3proxy-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = S3ProxyServer.start(workDir);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
    deleteTree(workDir);
  }

  /** The bucket data of one class; a file that cannot be deleted is left for the OS's temp cleaning. */
  private static void deleteTree(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // leftovers in the temp dir are harmless
    }
  }

  /** The running server; only between beforeAll and afterAll. */
  public S3ProxyServer server() {
    if (server == null) {
      throw new IllegalStateException("s3proxy is not running: register S3ProxyExtension as a static field");
    }
    return server;
  }
}
