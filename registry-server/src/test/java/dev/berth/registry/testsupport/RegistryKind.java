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
  },
  /** Debian's docker-registry (distribution 2.8) as a process. */
  REFERENCE {
    @Override
    public RunningRegistry start(Path root, Path workDir) {
      return ReferenceRegistry.start(root, workDir);
    }
  };

  /** Starts a registry of this kind serving {@code root}; its config and log, if any, go under {@code workDir}. */
  public abstract RunningRegistry start(Path root, Path workDir);
}
