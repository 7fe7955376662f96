package dev.berth.registry.storage;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises read-modify-write sequences on one key (a tag, a revision) inside this process. Striped, so memory
 * stays fixed however many keys exist; two keys sharing a stripe only wait for each other briefly. Replicas sharing
 * one directory are not covered: for several replicas, use shared object storage.
 */
final class RepositoryLocks {
  private static final int STRIPES = 64;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  RepositoryLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  <T> T withLock(String key, Supplier<T> action) {
    ReentrantLock lock = locks[Math.floorMod(key.hashCode(), STRIPES)];
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
