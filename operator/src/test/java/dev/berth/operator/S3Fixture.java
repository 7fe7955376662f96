package dev.berth.operator;

import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.S3Storage;
import dev.berth.operator.spec.StorageSpec;

/** The S3 Registry spec the tests share: an S3-compatible endpoint, path-style, a prefix. */
public final class S3Fixture {
  private S3Fixture() {}

  /** A spec on bucket registry-data; {@code credentialsSecret} null for the pods' own identity. */
  public static RegistrySpec s3Spec(int replicas, String credentialsSecret) {
    RegistrySpec spec = new RegistrySpec();
    spec.setReplicas(replicas);
    StorageSpec storage = new StorageSpec();
    S3Storage s3 = new S3Storage();
    s3.setBucket("registry-data");
    s3.setEndpoint("http://s3.storage.svc:9000");
    s3.setRegion("eu-west-1");
    s3.setForcePathStyle(true);
    s3.setRootDirectory("team");
    s3.setCredentialsSecret(credentialsSecret);
    storage.setS3(s3);
    spec.setStorage(storage);
    return spec;
  }
}
