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
  private final boolean withUploads;

  RepositoryCatalog(StorageLayout layout, StorageDriver driver) {
    this(layout, driver, false);
  }

  private RepositoryCatalog(StorageLayout layout, StorageDriver driver, boolean withUploads) {
    this.layout = layout;
    this.driver = driver;
    this.withUploads = withUploads;
  }

  /**
   * The directories a stale-upload purge visits: the repositories and also those that so far hold nothing but
   * {@code _uploads} (a first push killed before any blob completed), which the catalog does not list.
   */
  static RepositoryCatalog withUploads(StorageLayout layout, StorageDriver driver) {
    return new RepositoryCatalog(layout, driver, true);
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
        repository |= depth > 0 && (child.equals("_layers") || child.equals("_manifests")
            || withUploads && child.equals("_uploads"));
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
