package dev.berth.registry.storage;

import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Reads the catalog off disk: a repository is a directory under {@code repositories/} holding {@code _layers}, as
 * registry:2 decides (so a repository that so far only received a blob or a cross-repository mount counts), or
 * {@code _manifests}. Names may nest ({@code a} and {@code a/b} can both be repositories); {@code _}-directories are
 * never descended into, so the walk touches only the directory skeleton.
 */
public final class RepositoryCatalog {
  /** Names are at most 255 characters, so at most 128 components deep. */
  private static final int MAX_DEPTH = 130;

  private final StorageLayout layout;
  private final StorageDriver driver;

  RepositoryCatalog(StorageLayout layout, StorageDriver driver) {
    this.layout = layout;
    this.driver = driver;
  }

  public RepositoryCatalog(StorageLayout layout) {
    this(layout, FilesystemDriver.LOCAL);
  }

  /** Every repository on disk now, sorted; safe to read while another thread adds to it. */
  public ConcurrentSkipListSet<String> scan() {
    ConcurrentSkipListSet<String> names = new ConcurrentSkipListSet<>();
    visit(layout.repositoriesRoot(), "", 0, names);
    return names;
  }

  /**
   * One directory listing per directory and no stat per entry (this runs over every repository periodically):
   * {@code _}-names are judged by name alone, any other entry is opened as a directory, which fails for a file.
   */
  private void visit(Path dir, String name, int depth, Set<String> names) {
    if (depth > MAX_DEPTH) {
      return;
    }
    List<Path> children = new ArrayList<>();
    boolean repository = false;
    // empty when removed meanwhile, or a file: not a repository
    for (String child : driver.children(dir)) {
      if (child.startsWith("_")) {
        repository |= depth > 0 && (child.equals("_layers") || child.equals("_manifests"));
      } else if (!child.startsWith(DurableFiles.TEMP_PREFIX)) {
        children.add(dir.resolve(child));
      }
    }
    if (repository) {
      addIfValid(name, names);
    }
    for (Path child : children) {
      visit(child, name.isEmpty() ? child.getFileName().toString() : name + "/" + child.getFileName(), depth + 1, names);
    }
  }

  private static void addIfValid(String name, Set<String> names) {
    try {
      RepositoryName.parse(name);
    } catch (RegistryException e) {
      return; // a directory no client could have created; not a repository
    }
    names.add(name);
  }
}
