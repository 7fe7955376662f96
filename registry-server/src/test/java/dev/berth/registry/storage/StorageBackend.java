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
import java.util.function.Predicate;
import java.util.stream.Stream;
import dev.berth.registry.oci.RepositoryName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * One medium the storage tests run on, through the same cases: a temp directory, or a fresh bucket on s3proxy. Each
 * {@link #open} is a new storage on the same place, as a restarted server or a second replica sees it. {@link #root}
 * is where the layout's files are: on s3proxy (filesystem backend) objects are plain files, so a test can damage or
 * inspect the layout the same way on both.
 */
public interface StorageBackend {

  /** A new storage over this backend's place. */
  DriverStorage open();

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
  InFlight inFlight(RepositoryName repo);

  /** Bytes stored for unfinished uploads, and how many S3 multipart uploads are in progress (0 on a filesystem). */
  record InFlight(long bytes, int multipartUploads) {}

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
      public DriverStorage open() {
        return new FilesystemStorage(root);
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
      public InFlight inFlight(RepositoryName repo) {
        return new InFlight(sizeOfFiles(uploadsDir(root, repo), "data"::equals), 0);
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
      public DriverStorage open() {
        return new S3Storage(settings(server, bucket, chunkSize), Duration.ofSeconds(30));
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
      public InFlight inFlight(RepositoryName repo) {
        return s3InFlight(server, bucket, root(), repo);
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

  /**
   * The parts of every multipart upload in progress under {@code repo}'s uploads, as S3 lists them, and the tails in
   * side objects ({@code berth-tail-<offset>}) under {@code root}, s3proxy's files of the layout.
   */
  static InFlight s3InFlight(S3ProxyServer server, String bucket, Path root, RepositoryName repo) {
    String prefix = "registry/docker/registry/v2/repositories/" + repo + "/_uploads/";
    long bytes = 0;
    int uploads = 0;
    try (S3Client s3 = server.client()) {
      for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
        uploads++;
        bytes += s3.listParts(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().stream()
            .mapToLong(Part::size).sum();
      }
    }
    return new InFlight(bytes + sizeOfFiles(uploadsDir(root, repo), name -> name.startsWith("berth-tail-")), uploads);
  }

  private static Path uploadsDir(Path root, RepositoryName repo) {
    return root.resolve("docker/registry/v2/repositories").resolve(repo.toString()).resolve("_uploads");
  }

  /** The bytes of the files under {@code dir} whose names match; 0 when there is none. */
  private static long sizeOfFiles(Path dir, Predicate<String> name) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> name.test(p.getFileName().toString()) && Files.isRegularFile(p))
          .mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // files come and go while an upload runs; the caller polls
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
