package dev.berth.registry.storage;

import dev.berth.registry.testsupport.S3ProxyServer;
import dev.berth.registry.testsupport.SharedS3Proxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.testsupport.RegistryMedium;
import dev.berth.registry.testsupport.S3Bucket;

/**
 * One medium the storage tests run on, through the same cases: a temp directory, or a fresh bucket on s3proxy. Each
 * {@link #open} is a new storage on the same place, as a restarted server or a second replica sees it. {@link #root}
 * is where the layout's files are: on s3proxy (filesystem backend) objects are plain files, so a test can damage or
 * inspect the layout the same way on both.
 */
public interface StorageBackend {

  /** A new storage over this backend's place. */
  default DriverStorage open() {
    return open(files -> ReferenceFence.NONE);
  }

  /** A new storage whose new references pass {@code fence}, built on its own files (as the server builds it). */
  DriverStorage open(Function<StorageFiles, ReferenceFence> fence);

  /** A fresh place of the named kind: "filesystem" or "s3" (tests parameterized by medium, one place per test). */
  static StorageBackend named(String kind) {
    return switch (kind) {
      case "filesystem" -> filesystem();
      case "s3" -> s3();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The directory holding {@code docker/registry/v2} as files. */
  Path root();

  /** Whether empty directories disappear with their last entry (S3 prefixes do; filesystem directories are removed). */
  default boolean isObjectStore() {
    return false;
  }

  /** The arguments {@link #open(List)} takes to open this backend's place in another process (a child JVM). */
  List<String> locator();

  /**
   * What {@code repo}'s unfinished uploads hold right now, read from the medium itself: on the filesystem the bytes
   * of the sessions' {@code data} files; on S3 the parts of the multipart uploads in progress (ListMultipartUploads,
   * ListParts) plus the side objects holding the tails.
   */
  RegistryMedium.InFlight inFlight(RepositoryName repo);

  /** Opens the place a {@link #locator()} names: {@code fs <root>} or {@code s3 <endpoint> <bucket> <chunk size>}. */
  static DriverStorage open(List<String> locator) {
    return switch (locator.get(0)) {
      case "fs" -> new FilesystemStorage(Path.of(locator.get(1)));
      case "s3" -> new S3Storage(settings(URI.create(locator.get(1)), locator.get(2), Long.parseLong(locator.get(3))),
          Duration.ofSeconds(30));
      default -> throw new IllegalArgumentException("unknown backend " + locator);
    };
  }

  static Stream<StorageBackend> all() {
    return Stream.of(filesystem(), s3());
  }

  static StorageBackend filesystem() {
    Path root = tempDir("berth-fs-");
    return new StorageBackend() {
      @Override
      public DriverStorage open(Function<StorageFiles, ReferenceFence> fence) {
        return new FilesystemStorage(root, Duration.ofSeconds(30), fence.apply(StorageFiles.filesystem(root)));
      }

      @Override
      public Path root() {
        return root;
      }

      @Override
      public List<String> locator() {
        return List.of("fs", root.toString());
      }

      @Override
      public RegistryMedium.InFlight inFlight(RepositoryName repo) {
        return RegistryMedium.directory(root).inFlight(repo.toString());
      }

      @Override
      public String toString() {
        return "filesystem";
      }
    };
  }

  /** A new bucket on the JVM's shared s3proxy, with {@code rootdirectory} "registry" (so the root prefix matters). */
  static StorageBackend s3() {
    return s3(S3Settings.DEFAULT_CHUNK_SIZE);
  }

  static StorageBackend s3(long chunkSize) {
    return new StorageBackend() {
      private final S3ProxyServer server = SharedS3Proxy.server();
      private final String bucket = server.newBucket();

      @Override
      public DriverStorage open(Function<StorageFiles, ReferenceFence> fence) {
        return new S3Storage(settings(server, bucket, chunkSize), Duration.ofSeconds(30), fence);
      }

      @Override
      public Path root() {
        return server.dataDir().resolve(bucket).resolve("registry");
      }

      @Override
      public boolean isObjectStore() {
        return true;
      }

      @Override
      public List<String> locator() {
        return List.of("s3", server.endpoint(), bucket, String.valueOf(chunkSize));
      }

      @Override
      public RegistryMedium.InFlight inFlight(RepositoryName repo) {
        return RegistryMedium.s3InFlight(new S3Bucket(server, bucket, "registry"), repo.toString());
      }

      @Override
      public String toString() {
        return "s3";
      }
    };
  }

  static S3Settings settings(S3ProxyServer server, String bucket, long chunkSize) {
    return settings(URI.create(server.endpoint()), bucket, chunkSize);
  }

  private static S3Settings settings(URI endpoint, String bucket, long chunkSize) {
    return new S3Settings(bucket, S3ProxyServer.REGION, endpoint, "registry",
        S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, true, false, chunkSize, null, false, false);
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
