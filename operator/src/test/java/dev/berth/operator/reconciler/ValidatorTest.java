package dev.berth.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.observe.Observations;
import dev.berth.operator.spec.AuthMode;
import dev.berth.operator.spec.AuthSpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.SecretKeyRef;
import dev.berth.operator.spec.TlsMode;
import dev.berth.operator.spec.TlsSpec;
import dev.berth.operator.spec.UserSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.storage.BucketCheck;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validate step on hand-made observations: each gate, in order, and the way through. */
class ValidatorTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aValidSpecWithNothingReferencedPasses() {
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("ok", new RegistrySpec()), NOW));
    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.tls().condition()).isEmpty();
  }

  @Test
  void aSpecRuleBlocksFirst() {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(-1);
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("bad", spec), NOW));
    assertThat(verdict.blocking()).extracting(ConditionState::reason).containsExactly("InvalidSpec", "InvalidSpec");
    assertThat(verdict.blocking().get(0).message()).contains("replicas must not be negative");
  }

  @Test
  void aMissingTlsSecretBlocksUntilItIsObserved() {
    RegistrySpec spec = new RegistrySpec();
    TlsSpec tls = new TlsSpec();
    tls.setMode(TlsMode.Secret);
    tls.setSecretName("byo-cert");
    spec.setTls(tls);
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("byo", spec), NOW));
    assertThat(verdict.blocking()).extracting(ConditionState::reason)
        .containsExactly("TLSNotReady", "TLSNotReady", "SecretNotFound");
  }

  @Test
  void aMissingPasswordBlocksAndAnObservedOnePasses() {
    RegistrySpec spec = new RegistrySpec();
    AuthSpec auth = new AuthSpec();
    auth.setMode(AuthMode.Htpasswd);
    UserSpec alice = new UserSpec();
    alice.setName("alice");
    alice.setPasswordSecret(new SecretKeyRef("users", "alice"));
    auth.setUsers(List.of(alice));
    spec.setAuth(auth);
    var registry = Observations.registry("team", spec);
    assertThat(Validator.validate(Observations.of(registry, NOW)).blocking()).extracting(ConditionState::reason)
        .containsExactly("AuthNotReady", "AuthNotReady", "PasswordNotFound");
    Validator.Verdict verdict = Validator.validate(
        Observations.of(registry, NOW, Observations.secret("users", Map.of("alice", "s3cret"))));
    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.auth().condition()).map(ConditionState::isTrue).contains(true);
  }

  @Test
  void s3CredentialsAndTheBucketAreGatesInThatOrder() {
    RegistrySpec spec = dev.berth.operator.S3Fixture.s3Spec(3, "registry-s3");
    var registry = Observations.registry("s3", spec);
    assertThat(Validator.validate(Observations.of(registry, NOW)).blocking()).extracting(ConditionState::reason)
        .containsExactly("StorageNotReady", "CredentialsSecretNotFound");

    var onlyAccessKey = Observations.secret("registry-s3", Map.of("accessKey", "AKIA", "secretKey", " "));
    Validator.Verdict noSecretKey = Validator.validate(Observations.of(registry, NOW, onlyAccessKey));
    assertThat(noSecretKey.blocking()).extracting(ConditionState::reason)
        .containsExactly("StorageNotReady", "CredentialsKeyMissing");
    assertThat(noSecretKey.blocking().get(1).message()).contains("no key secretKey");

    var keys = Observations.secret("registry-s3", Map.of("accessKey", "AKIA", "secretKey", "s"));
    Validator.Verdict unreachable = Validator.validate(withBucket(Observations.of(registry, NOW, keys),
        BucketCheck.Result.failed(BucketCheck.Outcome.UNREACHABLE, "Unable to execute HTTP request: Connection refused")));
    assertThat(unreachable.blocking()).extracting(ConditionState::reason)
        .containsExactly("StorageNotReady", "EndpointUnreachable");
    assertThat(unreachable.blocking().get(1).message())
        .isEqualTo("bucket registry-data at http://s3.storage.svc:9000 (region eu-west-1): the endpoint cannot be"
            + " reached: Unable to execute HTTP request: Connection refused");

    Validator.Verdict reachable = Validator.validate(withBucket(Observations.of(registry, NOW, keys),
        BucketCheck.Result.reachable()));
    assertThat(reachable.blocked()).isFalse();
    assertThat(reachable.s3()).map(ConditionState::reason).contains("BucketReachable");
  }

  @Test
  void s3SchemaRulesAreCheckedByTheOperatorToo() {
    RegistrySpec spec = dev.berth.operator.S3Fixture.s3Spec(1, null);
    spec.getStorage().getS3().setBucket("Not_A_Bucket");
    spec.getStorage().getS3().setEndpoint("minio:9000");
    spec.getStorage().getS3().setRootDirectory("a/../b");
    spec.getStorage().setDeletionPolicy(dev.berth.operator.spec.DeletionPolicy.Delete);
    Validator.Verdict verdict = Validator.validate(Observations.of(Observations.registry("bad", spec), NOW));
    assertThat(verdict.blocking().get(0).reason()).isEqualTo("InvalidSpec");
    assertThat(verdict.blocking().get(0).message())
        .contains("storage.s3.bucket: 'Not_A_Bucket' is not a bucket name")
        .contains("storage.s3.endpoint: 'minio:9000' is not an http:// or https:// URL")
        .contains("storage.s3.rootDirectory: 'a/../b'")
        .contains("a bucket is never emptied");
  }

  private static dev.berth.operator.observe.Observation withBucket(
      dev.berth.operator.observe.Observation seen, BucketCheck.Result result) {
    return new dev.berth.operator.observe.Observation(seen.registry(), seen.now(), seen.statefulSet(),
        seen.existingClaim(), seen.clientService(), seen.secrets(), seen.configMaps(), seen.nodeAgentRunning(),
        seen.nodes(), java.util.Optional.of(result), seen.gcRun(), seen.monitoring());
  }
}
