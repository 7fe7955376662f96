package dev.berth.registry.gc;

import static dev.berth.registry.gc.GcFixtures.bytes;
import static dev.berth.registry.gc.GcFixtures.pushBlob;
import static dev.berth.registry.gc.GcFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.ManifestMediaTypes;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.NewReferences;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence's two orders, forced step by step: the collector records its batch first (the writer waits, then its own
 * check sees the deletion), or the writer records its touch first (the collector spares what it names).
 */
class FenceTest {
  private static final FenceTiming TIMING = new FenceTiming(Duration.ofMillis(20), Duration.ofMillis(1500),
      Duration.ofMinutes(5));
  private static final RepositoryName APP = repo("app");

  @TempDir Path root;
  private LayoutGcStore store;
  private MarkerFence fence;
  private FilesystemStorage storage;
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @BeforeEach
  void setUp() {
    store = LayoutGcStore.filesystem(root);
    fence = new MarkerFence(store, TIMING);
    storage = new FilesystemStorage(root, Duration.ofSeconds(30), fence);
  }

  @AfterEach
  void stop() {
    writer.shutdownNow();
  }

  @Test
  void withNoCollectorAWriteLeavesNoMarker() {
    pushBlob(storage, APP, bytes("layer"));
    assertThat(store.listMarkers(FenceMarkers.TOUCHES)).isEmpty();
  }

  @Test
  void aManifestPutAfterTheBatchWaitsAndThenFailsCleanlyInsteadOfReferencingADeletedBlob() throws Exception {
    Digest layer = pushBlob(storage, APP, bytes("old layer"));
    Digest config = pushBlob(storage, APP, bytes("{}"));
    try (CollectorFence collector = CollectorFence.announce(store, TIMING, "run1")) {
      CollectorFence.Batch<String> batch = collector.condemn(List.of(layer.toString()), key -> key);
      assertThat(batch.allowed()).containsExactly(layer.toString());

      CompletableFuture<Object> put = CompletableFuture.supplyAsync(() -> storage.putManifest(APP, "v1",
          ManifestMediaTypes.OCI_MANIFEST, manifest(config, layer)), writer);
      await().atMost(Duration.ofSeconds(5)).until(() -> !store.listMarkers(FenceMarkers.TOUCHES).isEmpty());
      assertThat(put).as("the writer waits for the batch naming its blob").isNotDone();

      store.deleteLayerLink(APP, layer);
      store.deleteBlob(layer);
      batch.close();

      assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RegistryException.class)
          .cause().satisfies(e -> assertThat(((RegistryException) e).code()).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN));
    }
    assertThat(storage.manifest(APP, "v1")).isEmpty();
  }

  @Test
  void aTouchRecordedBeforeTheBatchSparesTheBlob() throws Exception {
    Digest layer = pushBlob(storage, APP, bytes("old layer"));
    try (CollectorFence collector = CollectorFence.announce(store, TIMING, "run1")) {
      CountDownLatch inCommit = new CountDownLatch(1);
      CountDownLatch proceed = new CountDownLatch(1);
      CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> fence.referencing(
          NewReferences.blob(APP, layer), () -> {
            inCommit.countDown();
            released(proceed);
            return "committed";
          }), writer);
      assertThat(inCommit.await(5, TimeUnit.SECONDS)).isTrue();

      try (CollectorFence.Batch<String> batch = collector.condemn(List.of(layer.toString(), "sha256:other"), k -> k)) {
        assertThat(batch.spared()).containsExactly(layer.toString());
        assertThat(batch.allowed()).containsExactly("sha256:other");
      }
      proceed.countDown();
      assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo("committed");
    }
  }

  @Test
  void aBatchLeftByADeadCollectorDelaysWritersByOneLeaseOnly() throws Exception {
    Digest layer = pushBlob(storage, APP, bytes("old layer"));
    CollectorFence dead = CollectorFence.announce(store, TIMING, "dead");
    dead.condemn(List.of(layer.toString()), k -> k); // never closed: the collector was killed

    long started = System.nanoTime();
    assertThat(storage.mountBlob(repo("other"), APP, layer)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMING.condemnedLease());
  }

  private static byte[] manifest(Digest config, Digest layer) {
    return bytes("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":"
        + GcFixtures.descriptor("application/vnd.oci.image.config.v1+json", config, 2) + ",\"layers\":["
        + GcFixtures.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer, 9) + "]}");
  }

  private static void released(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
