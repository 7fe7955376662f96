package dev.berth.operator.storage;

import dev.berth.operator.observe.Observation;
import dev.berth.operator.observe.SecretData;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * StorageReady for spec.storage.s3, decided before anything is applied: the credentials Secret and its two keys must
 * be there and the bucket must answer HeadBucket with them. Until then nothing is written, so a running registry keeps
 * its last good pods instead of rolling onto credentials or a bucket that do not work (the StatefulSet would stop
 * after the first broken pod, but with one replica that pod is the registry).
 *
 * @param condition StorageReady
 * @param blocking true when nothing may be applied
 */
public record S3StorageState(ConditionState condition, boolean blocking) {

  public static S3StorageState check(Observation seen) {
    var spec = seen.registry().getSpec();
    S3Storage s3 = spec.storageOrDefault().getS3();
    BucketLocation where = BucketLocation.of(s3);
    if (!s3.hasCredentialsSecret()) {
      String account = spec.getServiceAccountName() == null ? "the namespace's default ServiceAccount"
          : "ServiceAccount " + spec.getServiceAccountName();
      // the operator's own identity is not the pods': checking with it would prove nothing about them
      return new S3StorageState(ConditionState.isTrue(ConditionType.STORAGE_READY, "PodIdentity",
          where.describe() + " is reached with the pods' own identity (" + account + "); the operator does not"
              + " check it, the pods' readiness does"), false);
    }
    String name = s3.getCredentialsSecret();
    Optional<Secret> secret = seen.secret(name);
    if (secret.isEmpty()) {
      return blocked("CredentialsSecretNotFound",
          "Secret " + name + " (storage.s3.credentialsSecret) does not exist in this namespace");
    }
    for (String key : new String[] {S3Storage.ACCESS_KEY, S3Storage.SECRET_KEY}) {
      if (SecretData.text(secret.get(), key).isEmpty()) {
        return blocked("CredentialsKeyMissing", "Secret " + name + " (storage.s3.credentialsSecret) has no key "
            + key + " (it needs " + S3Storage.ACCESS_KEY + " and " + S3Storage.SECRET_KEY + ")");
      }
    }
    BucketCheck.Result result = seen.bucket().orElse(BucketCheck.Result.failed(BucketCheck.Outcome.FAILED,
        "the bucket was not checked"));
    if (result.ok()) {
      return new S3StorageState(ConditionState.isTrue(ConditionType.STORAGE_READY, result.outcome().reason(),
          where.describe() + " answers HeadBucket with the credentials of Secret " + name), false);
    }
    return blocked(result.outcome().reason(), where.describe() + ": " + meaning(result.outcome(), name) + ": "
        + result.error().orElse("no detail"));
  }

  private static String meaning(BucketCheck.Outcome outcome, String secret) {
    return switch (outcome) {
      case NO_SUCH_BUCKET -> "the bucket does not exist (the operator never creates buckets)";
      case ACCESS_DENIED -> "the credentials of Secret " + secret + " are refused or may not list the bucket";
      case UNREACHABLE -> "the endpoint cannot be reached";
      case FAILED, REACHABLE -> "HeadBucket failed";
    };
  }

  private static S3StorageState blocked(String reason, String message) {
    return new S3StorageState(ConditionState.isFalse(ConditionType.STORAGE_READY, reason, message), true);
  }
}
