package dev.berth.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.testsupport.LoopbackPorts;
import dev.berth.registry.testsupport.S3ProxyExtension;
import dev.berth.registry.testsupport.S3ProxyServer;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real bucket check against a real S3 server (s3proxy with SigV4): each answer the operator tells apart. */
class SdkBucketCheckTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  static final S3Credentials GOOD = new S3Credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL);

  final SdkBucketCheck check = new SdkBucketCheck();

  @Test
  void anExistingBucketIsReachable() {
    String bucket = S3.server().newBucket();
    BucketCheck.Result result = check.check(at(bucket), GOOD);
    assertThat(result.outcome()).isEqualTo(BucketCheck.Outcome.REACHABLE);
    assertThat(result.error()).isEmpty();
  }

  @Test
  void aMissingBucketIsNamedWithTheS3Status() {
    BucketCheck.Result result = check.check(at("no-such-bucket-here"), GOOD);
    assertThat(result.outcome()).isEqualTo(BucketCheck.Outcome.NO_SUCH_BUCKET);
    assertThat(result.error()).get().asString().contains("HTTP 404");
  }

  @Test
  void wrongCredentialsAreAccessDenied() {
    String bucket = S3.server().newBucket();
    BucketCheck.Result wrongSecret = check.check(at(bucket), new S3Credentials(S3ProxyServer.IDENTITY, "wrong"));
    assertThat(wrongSecret.outcome()).isEqualTo(BucketCheck.Outcome.ACCESS_DENIED);
    assertThat(wrongSecret.error()).get().asString().contains("HTTP 403");
    BucketCheck.Result unknownKey = check.check(at(bucket), new S3Credentials("nobody", S3ProxyServer.CREDENTIAL));
    assertThat(unknownKey.outcome()).isEqualTo(BucketCheck.Outcome.ACCESS_DENIED);
  }

  @Test
  void anEndpointWithNothingListeningIsUnreachable() {
    int port = LoopbackPorts.free();
    BucketLocation nowhere = new BucketLocation("registry", Optional.of(URI.create("http://127.0.0.1:" + port)),
        S3ProxyServer.REGION, true, false);
    BucketCheck.Result result = check.check(nowhere, GOOD);
    assertThat(result.outcome()).isEqualTo(BucketCheck.Outcome.UNREACHABLE);
    assertThat(result.error()).get().asString().containsIgnoringCase("connection refused");
  }

  private static BucketLocation at(String bucket) {
    return new BucketLocation(bucket, Optional.of(URI.create(S3.server().endpoint())), S3ProxyServer.REGION, true,
        false);
  }
}
