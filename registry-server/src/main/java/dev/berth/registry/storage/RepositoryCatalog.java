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
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Reads the catalog off disk: a repository is a directory under {@code repositories/} holding {@code _layers}, as
 * registry:2 decides (so a repository that so far only received a blob or a cross-repository mount counts), or
 * {@code _manifests}. Names may nest ({@code a} and {@code a/b} can both be repositories); {@code _}-directories are
 * never descended into, so the walk touches only the directory skeleton.
 */
final class RepositoryCatalog {
  /** Names are at most 255 characters, so at most 128 components deep. */
  private static final int MAX_DEPTH = 130;

  private final StorageLayout layout;

  RepositoryCatalog(StorageLayout layout) {
    this.layout = layout;
  }

  /** Every repository on disk now, sorted; safe to read while another thread adds to it. */
  ConcurrentSkipListSet<String> scan() {
    ConcurrentSkipListSet<String> names = new ConcurrentSkipListSet<>();
    Path root = layout.repositoriesRoot();
    try {
      Files.walkFileTree(root, Set.of(), MAX_DEPTH, new DeletionTolerantVisitor() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName().toString();
          if (dir.equals(root) || !name.startsWith("_")) {
            return FileVisitResult.CONTINUE;
          }
          if (name.equals("_layers") || name.equals("_manifests")) {
            addIfValid(layout.repositoryNameOf(dir.getParent()), names);
          }
          return FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list repositories", e);
    }
    return names;
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
