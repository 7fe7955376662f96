package dev.berth.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ProxyServerTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @Test
  void createsABucketAndKeepsObjectsAsPlainFiles() throws Exception {
    String bucket = S3.server().newBucket();
    try (S3Client s3 = S3.server().client()) {
      s3.putObject(b -> b.bucket(bucket).key("docker/registry/v2/x"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("docker/registry/v2/x")).asUtf8String())
          .isEqualTo("hello");
    }
    assertThat(Files.readString(S3.server().objectFile(bucket, "docker/registry/v2/x"),
        StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void enforcesTheFiveMebibytePartMinimumAsRealS3Does() {
    String bucket = S3.server().newBucket();
    try (S3Client s3 = S3.server().client()) {
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      String e1 = s3.uploadPart(b -> b.bucket(bucket).key("k").uploadId(id).partNumber(1),
          RequestBody.fromBytes(new byte[1024])).eTag();
      String e2 = s3.uploadPart(b -> b.bucket(bucket).key("k").uploadId(id).partNumber(2),
          RequestBody.fromBytes(new byte[10])).eTag();
      assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(id)
          .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
              CompletedPart.builder().partNumber(2).eTag(e2).build()))))
          .isInstanceOfSatisfying(S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
    }
  }

  @Test
  void refusesAWrongCredential() {
    String bucket = S3.server().newBucket();
    try (S3Client s3 = S3.server().client(S3ProxyServer.IDENTITY, "wrong")) {
      assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }
}
