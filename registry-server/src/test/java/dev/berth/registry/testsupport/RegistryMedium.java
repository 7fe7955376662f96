package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Where a Berth process under test keeps its registry: a directory, or a bucket on s3proxy (5 MiB parts). Either way
 * {@link #root()} holds the registry:2 layout as files (s3proxy's filesystem backend keeps objects as plain files),
 * so the layout checks read both alike; {@link #inFlight} says what unfinished uploads hold on the medium itself.
 */
public interface RegistryMedium {

  /** Starts Berth on this medium, config and log under {@code workDir}, with extra REGISTRY_* environment. */
  BerthProcess start(Path workDir, Map<String, String> env);

  /** The directory holding {@code docker/registry/v2} as files. */
  Path root();

  /**
   * What {@code repository}'s unfinished uploads hold right now: on a directory the bytes of the sessions'
   * {@code data} files; on S3 the parts of its multipart uploads in progress (ListMultipartUploads, ListParts) and
   * the side objects with the tails shorter than a part.
   */
  InFlight inFlight(String repository);

  /** Bytes stored for unfinished uploads, and how many S3 multipart uploads are in progress (0 on a directory). */
  record InFlight(long bytes, int multipartUploads) {
    public static final InFlight NONE = new InFlight(0, 0);
  }

  static RegistryMedium directory(Path root) {
    return new RegistryMedium() {
      @Override
      public BerthProcess start(Path workDir, Map<String, String> env) {
        return BerthProcess.start(root, workDir, env);
      }

      @Override
      public Path root() {
        return root;
      }

      @Override
      public InFlight inFlight(String repository) {
        return new InFlight(sizeOfFiles(uploadsDir(root, repository), "data"::equals), 0);
      }

      @Override
      public String toString() {
        return "filesystem";
      }
    };
  }

  static RegistryMedium s3(S3Bucket bucket) {
    return new RegistryMedium() {
      @Override
      public BerthProcess start(Path workDir, Map<String, String> env) {
        return BerthProcess.startOnS3(bucket, workDir, env);
      }

      @Override
      public Path root() {
        return bucket.root();
      }

      @Override
      public InFlight inFlight(String repository) {
        return s3InFlight(bucket, repository);
      }

      @Override
      public String toString() {
        return "s3";
      }
    };
  }

  /** The S3 side of {@link #inFlight}: the storage tests' backend uses it too. */
  static InFlight s3InFlight(S3Bucket bucket, String repository) {
    String prefix = bucket.rootDirectory() + "/docker/registry/v2/repositories/" + repository + "/_uploads/";
    long bytes = 0;
    int uploads = 0;
    try (S3Client s3 = bucket.server().client()) {
      for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket.bucket()).prefix(prefix)).uploads()) {
        uploads++;
        bytes += s3.listParts(b -> b.bucket(bucket.bucket()).key(upload.key()).uploadId(upload.uploadId()))
            .parts().stream().mapToLong(Part::size).sum();
      }
    }
    Path tails = uploadsDir(bucket.root(), repository);
    return new InFlight(bytes + sizeOfFiles(tails, name -> name.startsWith("berth-tail-")), uploads);
  }

  /** Files left under {@code repository}'s {@code _uploads} in the layout at {@code root}, besides empty directories. */
  static List<String> uploadFiles(Path root, String repository) {
    Path dir = uploadsDir(root, repository);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(Object::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  default List<String> uploadFiles(String repository) {
    return uploadFiles(root(), repository);
  }

  private static Path uploadsDir(Path root, String repository) {
    return root.resolve("docker/registry/v2/repositories").resolve(repository).resolve("_uploads");
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
      return -1; // files come and go while an upload runs: not a figure to trust, and never 0
    }
  }
}
