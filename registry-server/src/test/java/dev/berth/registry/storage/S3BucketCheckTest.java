package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.Main;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.S3ProxyServer;
import dev.berth.registry.testsupport.SharedS3Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bucket check at start against real s3proxy: each way a bucket cannot be used names the key to fix, and the
 * server's start turns it into one config error (exit 2) instead of failing pushes later.
 */
class S3BucketCheckTest {
  private final S3Bucket bucket = S3Bucket.create(SharedS3Proxy.server());

  @Test
  void aUsableBucketPasses() {
    assertThat(problem(bucket.settings())).isEmpty();
  }

  @Test
  void aMissingBucketNamesTheBucketKey() {
    S3Settings s = bucket.settings();
    assertThat(problem(with(s, "no-such-bucket-here", s.endpoint(), s.accessKey(), s.secretKey())))
        .hasValueSatisfying(p -> {
          assertThat(p.key()).isEqualTo("bucket");
          assertThat(p.message()).startsWith("the bucket does not exist");
        });
  }

  @Test
  void refusedCredentialsNameTheAccessKey() {
    S3Settings s = bucket.settings();
    assertThat(problem(with(s, s.bucket(), s.endpoint(), S3ProxyServer.IDENTITY, "not-the-secret")))
        .hasValueSatisfying(p -> {
          assertThat(p.key()).isEqualTo("accesskey");
          assertThat(p.message()).startsWith("access denied");
        });
  }

  @Test
  void nothingListeningNamesTheEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    S3Settings s = bucket.settings();
    assertThat(problem(with(s, s.bucket(), URI.create("http://127.0.0.1:" + closedPort), s.accessKey(), s.secretKey())))
        .hasValueSatisfying(p -> {
          assertThat(p.key()).isEqualTo("regionendpoint");
          assertThat(p.message()).startsWith("the endpoint is unreachable");
        });
  }

  @Test
  void noCredentialsAnywhereNamesTheAccessKeyNotTheEndpoint() {
    // the default chain's last step asks the instance metadata service; off, so nothing leaves this machine
    String previous = System.setProperty("aws.disableEc2Metadata", "true");
    try {
      S3Settings s = bucket.settings();
      assertThat(problem(with(s, s.bucket(), s.endpoint(), "", ""))).hasValueSatisfying(p -> {
        assertThat(p.key()).isEqualTo("accesskey");
        assertThat(p.message()).startsWith("no credentials");
      });
    } finally {
      if (previous == null) {
        System.clearProperty("aws.disableEc2Metadata");
      } else {
        System.setProperty("aws.disableEc2Metadata", previous);
      }
    }
  }

  @Test
  void theServersStartTurnsAProblemIntoOneConfigError() {
    S3Settings s = bucket.settings();
    RegistryConfig.Storage storage = new RegistryConfig.Storage(Path.of("unused"), true, false, Duration.ofSeconds(30),
        with(s, "no-such-bucket-here", s.endpoint(), s.accessKey(), s.secretKey()), RegistryConfig.UploadPurging.DEFAULT);

    assertThatThrownBy(() -> Main.storageFor(storage)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("storage.s3.bucket: cannot use ")
        .hasMessageContaining("the bucket does not exist");
  }

  private static Optional<S3Storage.BucketProblem> problem(S3Settings settings) {
    try (S3Storage storage = new S3Storage(settings, Duration.ofSeconds(30))) {
      return storage.checkBucket();
    }
  }

  private static S3Settings with(S3Settings s, String bucketName, URI endpoint, String accessKey, String secretKey) {
    return new S3Settings(bucketName, s.region(), endpoint, s.rootDirectory(), accessKey, secretKey, s.forcePathStyle(),
        s.skipVerify(), s.chunkSize(), s.storageClass(), s.encrypt(), s.redirect());
  }
}
