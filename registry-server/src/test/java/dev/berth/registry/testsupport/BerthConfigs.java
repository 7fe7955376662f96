package dev.berth.registry.testsupport;

import dev.berth.registry.config.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Registry configurations for tests: plain HTTP on loopback, deletes on, no auth, no access log noise. */
public final class BerthConfigs {
  private BerthConfigs() {}

  /** Serves an s3proxy bucket on {@code 127.0.0.1:port} (0: any free port). */
  public static RegistryConfig loopbackS3(S3Bucket bucket, int port) {
    return new RegistryConfig(
        new RegistryConfig.Log("info", false, Map.of()),
        new RegistryConfig.Http("127.0.0.1", port, Map.<String, List<String>>of(), null, null),
        new RegistryConfig.Storage(null, true, false, RegistryConfig.Storage.DEFAULT_LISTINGS_REFRESH,
            bucket.settings(), RegistryConfig.UploadPurging.DEFAULT),
        RegistryConfig.Auth.none());
  }

  /** Serves {@code root} on {@code 127.0.0.1:port} (0: any free port). */
  public static RegistryConfig loopback(Path root, int port) {
    return loopback(root, port, null, RegistryConfig.Auth.none(), false);
  }

  /**
   * The same with {@code tls} (null: plain HTTP) and {@code auth}, and with {@code redirect} the plain-HTTP redirect
   * listener on any free loopback port.
   */
  public static RegistryConfig loopback(Path root, int port, RegistryConfig.Tls tls, RegistryConfig.Auth auth,
      boolean redirect) {
    return new RegistryConfig(
        new RegistryConfig.Log("info", false, Map.of()),
        new RegistryConfig.Http("127.0.0.1", port, Map.<String, List<String>>of(), tls,
            redirect ? new RegistryConfig.Redirect("127.0.0.1", 0) : null),
        new RegistryConfig.Storage(root, true, false),
        auth);
  }

  /**
   * The same configuration as a distribution config.yml, written to {@code file} (root and parent directory created),
   * for Berth started as {@code Main serve <file>} and for the reference {@code docker-registry serve <file>} alike.
   * {@code http.secret} and the blob descriptor cache are for distribution, which Berth reads and ignores.
   */
  public static Path writeLoopbackYaml(Path file, Path root, int port) {
    return writeLoopbackYaml(file, root, port, false);
  }

  /** As above, with the access log on when {@code accessLog} (one line per request, for counting upstream fetches). */
  public static Path writeLoopbackYaml(Path file, Path root, int port, boolean accessLog) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writeYaml(file, port, accessLog, """
          filesystem:
            rootdirectory: %s
        """.formatted(root.toAbsolutePath()));
  }

  /** The same on an s3proxy bucket: {@code storage.s3} instead of {@code storage.filesystem}. */
  public static Path writeS3Yaml(Path file, S3Bucket bucket, int port) {
    return writeYaml(file, port, false, bucket.yaml());
  }

  private static Path writeYaml(Path file, int port, boolean accessLog, String driver) {
    String yaml = """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: %s
        http:
          addr: 127.0.0.1:%d
          secret: berth-tests-only
        storage:
        %s  delete:
            enabled: true
          cache:
            blobdescriptor: inmemory
        """.formatted(!accessLog, port, driver);
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
