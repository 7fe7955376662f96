package dev.berth.registry.testsupport;

import dev.berth.registry.storage.S3Settings;
import java.net.URI;
import java.nio.file.Path;

/**
 * A bucket on a test s3proxy as a registry's storage: the {@code storage.s3} section for config.yml (Berth and
 * docker-registry read the same one), the settings Berth builds from it, and {@link #root()}, where s3proxy keeps the
 * objects under {@code rootdirectory} as plain files in the registry:2 layout.
 */
public record S3Bucket(S3ProxyServer server, String bucket, String rootDirectory) {
  /** A new bucket on {@code server}, with the registry under {@code rootdirectory: /registry}. */
  public static S3Bucket create(S3ProxyServer server) {
    return new S3Bucket(server, server.newBucket(), "registry");
  }

  /** The layout's files: {@code <s3proxy data>/<bucket>/<rootdirectory>}. */
  public Path root() {
    return server.dataDir().resolve(bucket).resolve(rootDirectory);
  }

  /**
   * The storage.s3 section, indented for config.yml, in distribution 2.8's terms: it forces path-style requests when
   * {@code regionendpoint} is set, and chunksize 5 MiB is S3's smallest part (so tests cross part boundaries often).
   */
  public String yaml() {
    return """
          s3:
            region: %s
            regionendpoint: %s
            bucket: %s
            rootdirectory: /%s
            accesskey: %s
            secretkey: %s
            secure: false
            v4auth: true
            chunksize: %d
        """.formatted(S3ProxyServer.REGION, server.endpoint(), bucket, rootDirectory, S3ProxyServer.IDENTITY,
        S3ProxyServer.CREDENTIAL, S3Settings.MIN_CHUNK_SIZE);
  }

  public S3Settings settings() {
    return new S3Settings(bucket, S3ProxyServer.REGION, URI.create(server.endpoint()), rootDirectory,
        S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, true, false, S3Settings.MIN_CHUNK_SIZE, null, false, false);
  }
}
