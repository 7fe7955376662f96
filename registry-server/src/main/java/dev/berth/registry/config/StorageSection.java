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
    Duration listingsRefresh = ConfigDuration.positive(tree, LISTINGS_REFRESH_KEY)
        .orElse(RegistryConfig.Storage.DEFAULT_LISTINGS_REFRESH);
    RegistryConfig.UploadPurging purging = purging(tree);
    // Berth streams blobs itself unless told otherwise: in-cluster clients often cannot reach the S3 endpoint
    boolean redirect = !tree.bool("storage.redirect.disable").orElse(true);
    if (tree.declared("storage.s3")) {
      if (tree.declared("storage.filesystem")) {
        throw tree.error("storage", "configures both the filesystem and the s3 driver; keep one");
      }
      return new RegistryConfig.Storage(null, deleteEnabled, readOnly, listingsRefresh, S3Section.read(tree, redirect),
          purging);
    }
    Path root = tree.string(ROOT_KEY).map(String::strip).filter(s -> !s.isEmpty()).map(text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw tree.error(ROOT_KEY, "'" + text + "' is not a valid path");
      }
    }).orElse(defaultRoot);
    return new RegistryConfig.Storage(prepare(tree, root.toAbsolutePath().normalize(), readOnly), deleteEnabled, readOnly,
        listingsRefresh, null, purging);
  }

  private static RegistryConfig.UploadPurging purging(ConfigTree tree) {
    String prefix = "storage.maintenance.uploadpurging.";
    RegistryConfig.UploadPurging defaults = RegistryConfig.UploadPurging.DEFAULT;
    return new RegistryConfig.UploadPurging(
        tree.bool(prefix + "enabled").orElse(defaults.enabled()),
        ConfigDuration.positive(tree, prefix + "age").orElse(defaults.age()),
        ConfigDuration.positive(tree, prefix + "interval").orElse(defaults.interval()));
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
