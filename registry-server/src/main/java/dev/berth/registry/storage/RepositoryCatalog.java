package dev.berth.registry.storage;

import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The catalog: a repository is a directory under {@code repositories/} holding {@code _manifests}, as registry:2
 * decides. Names may nest ({@code a} and {@code a/b} can both be repositories); {@code _}-directories are never
 * descended into, so the walk touches only the directory skeleton, and at most {@code limit} names are kept.
 */
final class RepositoryCatalog {
  /** Names are at most 255 characters, so at most 128 components deep. */
  private static final int MAX_DEPTH = 130;

  private final StorageLayout layout;

  RepositoryCatalog(StorageLayout layout) {
    this.layout = layout;
  }

  List<String> list(String last, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    TreeSet<String> page = new TreeSet<>();
    if (limit == 0) {
      return List.of();
    }
    Path root = layout.repositoriesRoot();
    try {
      Files.walkFileTree(root, Set.of(), MAX_DEPTH, new DeletionTolerantVisitor() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName().toString();
          if (dir.equals(root) || !name.startsWith("_")) {
            return FileVisitResult.CONTINUE;
          }
          if (name.equals("_manifests")) {
            consider(layout.repositoryNameOf(dir.getParent()), last, limit, page);
          }
          return FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list repositories", e);
    }
    return new ArrayList<>(page);
  }

  private static void consider(String name, String last, int limit, TreeSet<String> page) {
    try {
      RepositoryName.parse(name);
    } catch (RegistryException e) {
      return; // a directory no client could have created; not a repository
    }
    if (last != null && name.compareTo(last) <= 0) {
      return;
    }
    page.add(name);
    if (page.size() > limit) {
      page.pollLast();
    }
  }
}
