package dev.berth.registry.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads {@code storage.*} and prepares the root directory: created when missing and proven writable by writing a
 * file, so a bad volume stops the server at start rather than failing the first push. In read-only mode the root must
 * already exist, since it may be a read-only mount.
 */
final class StorageSection {
  static final String ROOT_KEY = "storage.filesystem.rootdirectory";
  static final String LISTINGS_REFRESH_KEY = "storage.listings.refresh";

  private StorageSection() {}

  static RegistryConfig.Storage read(ConfigTree tree, Path defaultRoot) {
    boolean deleteEnabled = tree.bool("storage.delete.enabled").orElse(false);
    boolean readOnly = tree.bool("storage.maintenance.readonly.enabled").orElse(false);
    Path root = tree.string(ROOT_KEY).map(String::strip).filter(s -> !s.isEmpty()).map(text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw tree.error(ROOT_KEY, "'" + text + "' is not a valid path");
      }
    }).orElse(defaultRoot);
    Duration listingsRefresh = ConfigDuration.positive(tree, LISTINGS_REFRESH_KEY)
        .orElse(RegistryConfig.Storage.DEFAULT_LISTINGS_REFRESH);
    return new RegistryConfig.Storage(prepare(tree, root.toAbsolutePath().normalize(), readOnly), deleteEnabled, readOnly,
        listingsRefresh);
  }

  private static Path prepare(ConfigTree tree, Path root, boolean readOnly) {
    if (readOnly) {
      if (!Files.isDirectory(root) || !Files.isReadable(root)) {
        throw tree.error(ROOT_KEY, "'" + root + "' is not a readable directory (in read-only mode it is not created)");
      }
      return root;
    }
    try {
      Files.createDirectories(root);
    } catch (FileAlreadyExistsException e) {
      throw tree.error(ROOT_KEY, "'" + root + "' is not a directory");
    } catch (IOException e) {
      throw tree.error(ROOT_KEY, "cannot create directory '" + root + "': " + reason(e));
    }
    try {
      Files.deleteIfExists(Files.createTempFile(root, ".berth-write-check-", ".tmp"));
    } catch (IOException e) {
      throw tree.error(ROOT_KEY, "directory '" + root + "' is not writable: " + reason(e));
    }
    return root;
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
