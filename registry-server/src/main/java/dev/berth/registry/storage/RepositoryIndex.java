package dev.berth.registry.storage;

import dev.berth.registry.oci.RepositoryName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The catalog in memory, sorted, so a page costs its own length whatever the repository count. Filled from disk on
 * first use; this server's own writes are added as they happen ({@link #added}), and {@link #refresh} re-reads the
 * disk to pick up (and drop) what other writers on the same root did. A write during a refresh is kept: the fresh
 * set is merged with every name added while it was read.
 */
final class RepositoryIndex {
  private final RepositoryCatalog disk;
  private final Object refreshing = new Object();
  /** Null until first loaded. */
  private volatile ConcurrentSkipListSet<String> names;
  /** Names added while a refresh reads the disk; null when none runs. Guarded by {@code this}. */
  private Set<String> addedDuringRefresh;

  RepositoryIndex(RepositoryCatalog disk) {
    this.disk = disk;
  }

  /**
   * Up to {@code limit} names after {@code last} (null: from the start), sorted; IllegalArgumentException for a
   * negative limit.
   */
  List<String> list(String last, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    NavigableSet<String> all = loaded();
    NavigableSet<String> after = last == null ? all : all.tailSet(last, false);
    List<String> page = new ArrayList<>(Math.min(limit, 1024));
    for (String name : after) {
      if (page.size() == limit) {
        break;
      }
      page.add(name);
    }
    return page;
  }

  /** Records a repository this server just wrote into (after the write reached the disk). */
  void added(RepositoryName repo) {
    ConcurrentSkipListSet<String> current = names;
    if (current != null && current.contains(repo.value())) {
      return; // the common case: a push into a known repository; its directory stays on disk for any refresh
    }
    synchronized (this) {
      if (names != null) {
        names.add(repo.value());
      }
      if (addedDuringRefresh != null) {
        addedDuringRefresh.add(repo.value());
      }
    }
  }

  /** Re-reads the catalog from disk and replaces the index with it; one refresh at a time. */
  void refresh() {
    synchronized (refreshing) {
      synchronized (this) {
        addedDuringRefresh = new HashSet<>();
      }
      ConcurrentSkipListSet<String> fresh;
      try {
        fresh = disk.scan();
      } catch (RuntimeException e) {
        synchronized (this) {
          addedDuringRefresh = null;
        }
        throw e;
      }
      synchronized (this) {
        fresh.addAll(addedDuringRefresh);
        addedDuringRefresh = null;
        names = fresh;
      }
    }
  }

  private NavigableSet<String> loaded() {
    ConcurrentSkipListSet<String> current = names;
    if (current != null) {
      return current;
    }
    synchronized (refreshing) {
      if (names == null) {
        refresh();
      }
    }
    return names;
  }
}
