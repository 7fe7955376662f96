package dev.berth.registry.testsupport;

import java.nio.file.Path;

/** Which registry a parameterized end-to-end test runs against. */
public enum RegistryKind {
  /** Berth in this JVM. */
  BERTH {
    @Override
    public RunningRegistry start(Path root, Path workDir) {
      return BerthRegistry.start(root);
    }

    @Override
    public RunningRegistry startOnS3(S3Bucket bucket, Path workDir) {
      return BerthRegistry.startOnS3(bucket);
    }
  },
  /** Debian's docker-registry (distribution 2.8) as a process. */
  REFERENCE {
    @Override
    public RunningRegistry start(Path root, Path workDir) {
      return ReferenceRegistry.start(root, workDir);
    }

    @Override
    public RunningRegistry startOnS3(S3Bucket bucket, Path workDir) {
      return ReferenceRegistry.startOnS3(bucket, workDir);
    }
  };

  /** Starts a registry of this kind on an s3proxy bucket, with its own s3 driver. */
  public abstract RunningRegistry startOnS3(S3Bucket bucket, Path workDir);

  /** Starts a registry of this kind serving {@code root}; its config and log, if any, go under {@code workDir}. */
  public abstract RunningRegistry start(Path root, Path workDir);
}
