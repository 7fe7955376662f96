package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many pushes of the same blob or tag at once end in a consistent store; readers never see a half state. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
  private static final int THREADS = 8;
  @TempDir Path root;

  private static <T> List<T> runTogether(int count, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sameBlobPushedByManyClientsAtOnce() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    byte[] content = randomBytes(1, 256 * 1024);
    Digest digest = Digest.sha256(content);
    RepositoryName repo = repo("app");

    List<BlobInfo> results = runTogether(THREADS, () -> {
      UploadSession upload = storage.startUpload(repo);
      for (int offset = 0; offset < content.length; offset += 8192) {
        upload.append(ByteBuffer.wrap(content, offset, Math.min(8192, content.length - offset)));
      }
      return upload.complete(digest);
    });

    assertThat(results).containsOnly(new BlobInfo(digest, content.length));
    assertThat(storage.blob(repo, digest)).contains(new BlobInfo(digest, content.length));
    Path data = root.resolve("docker/registry/v2/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data");
    assertThat(data).hasBinaryContent(content);
    try (var uploads = Files.list(root.resolve("docker/registry/v2/repositories/app/_uploads"))) {
      assertThat(uploads).isEmpty();
    }
  }

  @Test
  void sameTagPushedWithDifferentManifestsEndsOnOneOfThem() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    List<byte[]> manifests = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      manifests.add(Fixtures.ociManifest(storage, repo, i, ""));
    }
    Set<Digest> pushed = new HashSet<>();
    manifests.forEach(m -> pushed.add(Digest.sha256(m)));
    int[] next = {0};
    AtomicBoolean pushing = new AtomicBoolean(true);
    List<String> readerProblems = new ArrayList<>();
    Thread reader = new Thread(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pushing.get() && System.nanoTime() < deadline) {
        storage.manifest(repo, "latest").ifPresent(stored -> {
          if (!stored.digest().equals(Digest.sha256(stored.content())) || !pushed.contains(stored.digest())) {
            synchronized (readerProblems) {
              readerProblems.add("read a manifest that was never pushed: " + stored.digest());
            }
          }
        });
      }
    });
    reader.start();

    List<Digest> results = runTogether(THREADS, () -> {
      byte[] manifest;
      synchronized (next) {
        manifest = manifests.get(next[0]++);
      }
      Digest digest = null;
      for (int round = 0; round < 5; round++) {
        digest = storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
      }
      return digest;
    });
    pushing.set(false);
    reader.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(readerProblems).isEmpty();
    assertThat(results).containsExactlyInAnyOrderElementsOf(pushed);
    StoredManifest current = storage.manifest(repo, "latest").orElseThrow();
    assertThat(pushed).contains(current.digest());
    byte[] expected = manifests.stream().filter(m -> Digest.sha256(m).equals(current.digest())).findFirst().orElseThrow();
    assertThat(current.content()).isEqualTo(expected);
    assertThat(storage.tags(repo)).containsExactly("latest");
    for (Digest digest : pushed) {
      assertThat(storage.manifest(repo, digest.toString())).isPresent();
    }
    assertNoTempFilesLeft();
  }

  @Test
  void sameManifestPushedAndDeletedConcurrentlyLeavesAConsistentTag() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    byte[] manifest = Fixtures.ociManifest(storage, repo, 42, "");
    Digest digest = Digest.sha256(manifest);

    runTogether(THREADS, () -> {
      for (int round = 0; round < 10; round++) {
        storage.putManifest(repo, "t", ManifestMediaTypes.OCI_MANIFEST, manifest);
        try {
          storage.deleteManifest(repo, "t");
        } catch (dev.berth.registry.oci.RegistryException e) {
          // another thread deleted the tag first
        }
      }
      return null;
    });
    storage.putManifest(repo, "t", ManifestMediaTypes.OCI_MANIFEST, manifest);

    assertThat(storage.tags(repo)).containsExactly("t");
    assertThat(storage.manifest(repo, "t").orElseThrow().digest()).isEqualTo(digest);
  }

  @Test
  void pushesRacingDeletesByDigestNeverLeaveATagOnADeletedManifest() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    byte[] manifest = Fixtures.ociManifest(storage, repo, 43, "");
    String digest = Digest.sha256(manifest).toString();
    int[] turn = {0};

    runTogether(THREADS, () -> {
      int me;
      synchronized (turn) {
        me = turn[0]++;
      }
      for (int round = 0; round < 10; round++) {
        if (me % 2 == 0) {
          storage.putManifest(repo, "t" + me, ManifestMediaTypes.OCI_MANIFEST, manifest);
        } else {
          try {
            storage.deleteManifest(repo, digest);
          } catch (dev.berth.registry.oci.RegistryException e) {
            // already deleted by another thread
          }
        }
      }
      return null;
    });

    assertThat(StoreConsistency.problems(root)).isEmpty();
    for (String tag : storage.tags(repo)) {
      assertThat(storage.manifest(repo, tag)).isPresent();
    }
  }

  private void assertNoTempFilesLeft() throws Exception {
    try (var files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX))).isEmpty();
    }
  }
}
