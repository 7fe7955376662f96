package dev.berth.registry.storage;

import java.util.function.Supplier;

/**
 * Orders a write that makes new references (a manifest PUT, a completed upload, a cross-repository mount) against a
 * garbage collector deleting what it references. The write's {@code commit} re-checks that every referenced blob
 * exists and then writes its links; the fence guarantees that no collector deletes one of those blobs between that
 * check and a point where the collector's own re-check sees the new reference. Implementations: the collector's
 * storage-level handshake ({@code dev.berth.registry.gc.MarkerFence}), which holds across processes and replicas.
 */
public interface ReferenceFence {
  /**
   * Runs {@code commit} inside the fence and returns its result. It may wait for a collector's batch to finish, and
   * fails with TOOMANYREQUESTS (429, which clients retry) when it cannot get through in bounded time.
   */
  <T> T referencing(NewReferences references, Supplier<T> commit);

  /** No collector ever runs against this storage (tests of storage alone). */
  ReferenceFence NONE = new ReferenceFence() {
    @Override
    public <T> T referencing(NewReferences references, Supplier<T> commit) {
      return commit.get();
    }
  };
}
