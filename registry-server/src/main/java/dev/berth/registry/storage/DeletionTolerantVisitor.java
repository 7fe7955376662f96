package dev.berth.registry.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * A walk over storage that concurrent deletes (blob or upload removal, the sweeper) may race with: an entry that
 * vanished between being listed and being visited is skipped; any other failure still ends the walk.
 */
abstract class DeletionTolerantVisitor extends SimpleFileVisitor<Path> {
  @Override
  public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
    if (e instanceof NoSuchFileException) {
      return FileVisitResult.CONTINUE;
    }
    throw e;
  }
}
