package dev.berth.registry.storage;

import static dev.berth.registry.storage.Fixtures.randomBytes;
import static dev.berth.registry.storage.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.testsupport.DistributionLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicInteger;
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
    AtomicInteger readsOfATag = new AtomicInteger();
    List<String> readerProblems = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pushing.get() && System.nanoTime() < deadline) {
          storage.manifest(repo, "latest").ifPresent(stored -> {
            if (!stored.digest().equals(Digest.sha256(stored.content())) || !pushed.contains(stored.digest())) {
              readerProblems.add("read a manifest that was never pushed: " + stored.digest());
            }
            readsOfATag.incrementAndGet();
          });
        }
      } catch (Throwable e) {
        // A reader that throws saw a half state (or broke): that fails the test, it does not die unreported.
        readerProblems.add("reader threw " + e);
      }
    }, "tag-reader");
    reader.start();

    List<Digest> results = runTogether(THREADS, () -> {
      byte[] manifest;
      synchronized (next) {
        manifest = manifests.get(next[0]++);
      }
      Digest digest = storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
      // The reader must read while pushes are still to come: the remaining rounds wait for its first read.
      await().atMost(Duration.ofSeconds(30)).until(() -> readsOfATag.get() > 0 || !reader.isAlive());
      for (int round = 1; round < 5; round++) {
        digest = storage.putManifest(repo, "latest", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();
      }
      return digest;
    });
    int readsDuringPushes = readsOfATag.get();
    pushing.set(false);
    reader.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(reader.isAlive()).as("the reader stopped").isFalse();
    assertThat(readerProblems).isEmpty();
    assertThat(readsDuringPushes).as("the reader read the tag while it was being pushed").isPositive();
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

    AtomicInteger deletes = new AtomicInteger();
    runTogether(THREADS, () -> {
      for (int round = 0; round < 10; round++) {
        storage.putManifest(repo, "t", ManifestMediaTypes.OCI_MANIFEST, manifest);
        if (deleteUnlessUnknown(() -> storage.deleteManifest(repo, "t"))) {
          deletes.incrementAndGet();
        }
      }
      return null;
    });

    // The state the race left, as it is: every put is followed by its thread's delete, so the last put's tag was
    // deleted by someone and no put came after it: the tag is gone; the revision stays (deleting a tag never deletes
    // the manifest).
    assertThat(storage.tags(repo)).isEmpty();
    assertThat(storage.manifest(repo, "t")).isEmpty();
    assertThat(deletes).as("at least the last put's tag was deleted").hasValueBetween(1, THREADS * 10);
    assertThat(storage.manifest(repo, digest.toString())).isPresent();
    assertThat(new DistributionLayout(root).consistencyProblems()).isEmpty();
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  @Test
  void racingDeletesOfOneManifestByDigestSucceedExactlyOnce() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    byte[] manifest = Fixtures.ociManifest(storage, repo, 44, "");
    Digest digest = storage.putManifest(repo, "t", ManifestMediaTypes.OCI_MANIFEST, manifest).digest();

    List<Boolean> deleted = runTogether(THREADS, () -> deleteUnlessUnknown(() -> storage.deleteManifest(repo, digest.toString())));

    assertThat(deleted).as("one delete wins, the others find it gone (MANIFEST_UNKNOWN)").containsOnlyOnce(true);
    assertThat(storage.manifest(repo, digest.toString())).isEmpty();
    assertThat(storage.tags(repo)).as("the tag went with it").isEmpty();
    assertThat(StoreConsistency.problems(root)).isEmpty();
  }

  @Test
  void pushesRacingDeletesByDigestNeverLeaveATagOnADeletedManifest() throws Exception {
    FilesystemStorage storage = new FilesystemStorage(root);
    RepositoryName repo = repo("app");
    byte[] manifest = Fixtures.ociManifest(storage, repo, 43, "");
    String digest = Digest.sha256(manifest).toString();
    storage.putManifest(repo, "t0", ManifestMediaTypes.OCI_MANIFEST, manifest);
    int[] turn = {0};
    AtomicInteger deletes = new AtomicInteger();

    runTogether(THREADS, () -> {
      int me;
      synchronized (turn) {
        me = turn[0]++;
      }
      for (int round = 0; round < 10; round++) {
        if (me % 2 == 0) {
          storage.putManifest(repo, "t" + me, ManifestMediaTypes.OCI_MANIFEST, manifest);
        } else {
          if (deleteUnlessUnknown(() -> storage.deleteManifest(repo, digest))) {
            deletes.incrementAndGet();
          }
        }
      }
      return null;
    });

    assertThat(deletes).as("the manifest was stored before the race, so a delete succeeded").hasValueGreaterThanOrEqualTo(1);
    assertThat(StoreConsistency.problems(root)).isEmpty();
    for (String tag : storage.tags(repo)) {
      assertThat(storage.manifest(repo, tag)).isPresent();
    }
  }

  /** Runs a delete; true when it deleted, false for MANIFEST_UNKNOWN (someone else was first); anything else throws. */
  private static boolean deleteUnlessUnknown(Runnable delete) {
    try {
      delete.run();
      return true;
    } catch (RegistryException e) {
      if (e.code() != ErrorCode.MANIFEST_UNKNOWN) {
        throw e;
      }
      return false;
    }
  }

  private void assertNoTempFilesLeft() throws Exception {
    try (var files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX))).isEmpty();
    }
  }
}
