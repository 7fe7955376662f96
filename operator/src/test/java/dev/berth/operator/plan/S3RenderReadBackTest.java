package dev.berth.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.S3Fixture;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.storage.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.storage.s3, rendered and read back by the real server's config loader with the pod's environment. */
class S3RenderReadBackTest {
  @TempDir Path temp;

  S3Settings serverReads(RegistrySpec spec, Map<String, String> env) throws Exception {
    Path file = temp.resolve("config.yaml");
    Files.writeString(file, ServerConfigRenderer.render(spec));
    return new ConfigLoader(env, ConfigDefaults.container()).load(file, List.of()).config().storage().s3();
  }

  @Test
  void theServerReadsTheBucketFromTheConfigAndTheKeysFromTheEnvironment() throws Exception {
    S3Settings s3 = serverReads(S3Fixture.s3Spec(3, "registry-s3"), Map.of(
        ServerConfigRenderer.S3_ACCESS_KEY_ENV, "AKIAEXAMPLE", ServerConfigRenderer.S3_SECRET_KEY_ENV, "wJalr"));
    assertThat(s3.bucket()).isEqualTo("registry-data");
    assertThat(s3.region()).isEqualTo("eu-west-1");
    assertThat(s3.endpoint()).isEqualTo(URI.create("http://s3.storage.svc:9000"));
    assertThat(s3.rootDirectory()).isEqualTo("team");
    assertThat(s3.forcePathStyle()).isTrue();
    assertThat(s3.accessKey()).isEqualTo("AKIAEXAMPLE");
    assertThat(s3.secretKey()).isEqualTo("wJalr");
    assertThat(s3.encrypt()).isFalse();
    assertThat(s3.skipVerify()).isFalse();
  }

  @Test
  void withoutASecretTheServerHasNoKeysAndUsesItsDefaultChain() throws Exception {
    RegistrySpec spec = S3Fixture.s3Spec(1, null);
    spec.getStorage().getS3().setEndpoint(null);
    spec.getStorage().getS3().setForcePathStyle(null);
    spec.getStorage().getS3().setEncrypt(true);
    S3Settings s3 = serverReads(spec, Map.of());
    assertThat(s3.accessKey()).isEmpty();
    assertThat(s3.secretKey()).isEmpty();
    assertThat(s3.endpoint()).isNull();
    assertThat(s3.forcePathStyle()).as("AWS S3: the bucket's host name").isFalse();
    assertThat(s3.encrypt()).isTrue();
  }

  @Test
  void anUnsetPathStyleWithAnEndpointIsPathStyleForBothTheServerAndTheOperatorsCheck() throws Exception {
    RegistrySpec spec = S3Fixture.s3Spec(1, "registry-s3");
    spec.getStorage().getS3().setForcePathStyle(null);
    assertThat(serverReads(spec, Map.of()).forcePathStyle()).isTrue();
    assertThat(dev.berth.operator.storage.BucketLocation.of(spec.getStorage().getS3()).forcePathStyle()).isTrue();
  }
}
