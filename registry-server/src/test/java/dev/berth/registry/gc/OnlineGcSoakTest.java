package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.testsupport.BerthConfigs;
import dev.berth.registry.testsupport.BerthRegistry;
import dev.berth.registry.testsupport.S3Bucket;
import dev.berth.registry.testsupport.SharedS3Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The online-GC soak (Quay PR #6318's shape, bounded): writers push images sharing base layers over HTTP while another
 * thread untags and deletes some of them and the collector runs again and again with a one-second grace period and
 * deleteUntagged. Afterwards every image still tagged pulls back with every blob re-hashed, and the collector did
 * delete garbage. Pushes the registry refused (MANIFEST_BLOB_UNKNOWN after a skipped upload, 429 from the fence) are
 * retried like clients do and counted; they are never acknowledged.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"filesystem", "s3"})
class OnlineGcSoakTest {
  private static final Duration WRITING = Duration.ofSeconds(30);
  private static final FenceTiming TIMING = new FenceTiming(Duration.ofMillis(100), Duration.ofSeconds(3),
      Duration.ofMinutes(5));
  /** A writer looks and commits within half the window: a bucket's LIST and PUT take longer than a directory's. */
  private static final FenceTiming TIMING_S3 = new FenceTiming(Duration.ofMillis(600), Duration.ofSeconds(3),
      Duration.ofMinutes(5));
  private static final GcOptions OPTIONS = GcOptions.defaults().withGracePeriod(Duration.ofSeconds(1))
      .withDeleteUntagged(true);
  private static final int WRITERS = 3;

  @TempDir Path root;
  @Parameter String medium;
  private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2);
  private BerthRegistry registry;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void everyAcknowledgedImagePullsBackWhileGcDeletesGarbage() throws Exception {
    FenceTiming timing = medium.equals("s3") ? TIMING_S3 : TIMING;
    registry = medium.equals("s3")
        ? BerthRegistry.startOnS3(S3Bucket.create(SharedS3Proxy.server()),
            files -> new MarkerFence(new LayoutGcStore(files), timing))
        : BerthRegistry.start(BerthConfigs.loopback(root, 0), new MarkerFence(LayoutGcStore.filesystem(root), timing));
    LayoutGcStore store = new LayoutGcStore(registry.storage().files());
    SoakClient client = new SoakClient(registry.hostPort());
    List<byte[]> bases = List.of(random(1, 64 << 10), random(2, 64 << 10), random(3, 64 << 10));
    Map<String, SoakClient.Image> tagged = new ConcurrentHashMap<>();
    LinkedBlockingQueue<SoakClient.Image> toRemove = new LinkedBlockingQueue<>();
    AtomicInteger acknowledged = new AtomicInteger();
    AtomicInteger retried = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    AtomicLong blobsDeleted = new AtomicLong();
    AtomicLong manifestsDeleted = new AtomicLong();
    AtomicLong bytesFreed = new AtomicLong();
    long deadline = System.nanoTime() + WRITING.toNanos();

    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(threads.submit(() -> {
        Random random = new Random(100 + writer);
        for (int n = 0; System.nanoTime() < deadline; n++) {
          String kind = switch (n % 3) { case 0 -> "keep"; case 1 -> "untag"; default -> "delete"; };
          byte[] top = new byte[4096];
          random.nextBytes(top);
          byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"w\":" + writer + ",\"n\":" + n + "}")
              .getBytes(StandardCharsets.UTF_8);
          SoakClient.Image image = SoakClient.image("soak/r" + (n % 2), kind + "-" + writer + "-" + n,
              List.of(bases.get((writer + n) % bases.size()), top), config);
          if (push(client, image, retried)) {
            acknowledged.incrementAndGet();
            tagged.put(image.repo() + ":" + image.tag(), image);
            if (!kind.equals("keep")) {
              toRemove.add(image);
            }
          }
        }
        return null;
      }));
    }
    Future<?> remover = threads.submit(() -> {
      while (!allDone(writers) || !toRemove.isEmpty()) {
        SoakClient.Image image = toRemove.poll(100, TimeUnit.MILLISECONDS);
        if (image == null) {
          continue;
        }
        String reference = image.tag().startsWith("untag") ? image.tag() : image.manifest().toString();
        if (client.delete(image.repo(), reference) == 202) {
          tagged.remove(image.repo() + ":" + image.tag());
          removed.incrementAndGet();
        }
      }
      return null;
    });
    GarbageCollector collector = new GarbageCollector(store, timing, Clock.systemUTC());
    Future<?> gc = threads.submit(() -> {
      while (!allDone(writers)) {
        collector.run(OPTIONS, GcEvents.NONE).ifPresent(report -> {
          runs.incrementAndGet();
          blobsDeleted.addAndGet(report.blobsDeleted());
          manifestsDeleted.addAndGet(report.manifestsDeleted());
          bytesFreed.addAndGet(report.bytesFreed());
          assertThat(report.complete()).as(String.valueOf(report.error())).isTrue();
        });
      }
      return null;
    });
    for (Future<?> writer : writers) {
      writer.get(WRITING.plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
    }
    remover.get(60, TimeUnit.SECONDS);
    gc.get(60, TimeUnit.SECONDS);

    List<String> broken = new ArrayList<>();
    int blobsVerified = 0;
    for (SoakClient.Image image : tagged.values()) {
      byte[] manifest = client.get(image.repo() + "/manifests/" + image.tag());
      if (manifest == null || !Digest.sha256(manifest).equals(image.manifest())) {
        broken.add(image.repo() + ":" + image.tag() + " manifest");
        continue;
      }
      for (Digest blob : image.blobs().keySet()) {
        byte[] content = client.get(image.repo() + "/blobs/" + blob);
        if (content == null || !Digest.sha256(content).equals(blob)) {
          broken.add(image.repo() + ":" + image.tag() + " blob " + blob);
        } else {
          blobsVerified++;
        }
      }
    }
    System.out.printf("gc soak on %s: %d pushes acknowledged, %d retried, %d untagged or deleted, %d still tagged and pulled"
            + " (%d blobs re-hashed); %d GC runs deleted %d manifests and %d blobs (%d bytes)%n",
        medium, acknowledged.get(), retried.get(), removed.get(), tagged.size(), blobsVerified, runs.get(),
        manifestsDeleted.get(), blobsDeleted.get(), bytesFreed.get());
    assertThat(broken).as("acknowledged images that no longer pull").isEmpty();
    assertThat(acknowledged.get()).isGreaterThan(30);
    assertThat(runs.get()).isGreaterThan(3);
    assertThat(manifestsDeleted.get()).as("untagged manifests collected").isPositive();
    assertThat(blobsDeleted.get()).as("garbage blobs collected").isPositive();
  }

  /** Pushes like a client: skip blobs HEAD finds; on a refusal clients retry, upload everything again (bounded). */
  private static boolean push(SoakClient client, SoakClient.Image image, AtomicInteger retried) throws Exception {
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        client.push(image, attempt == 0);
        return true;
      } catch (SoakClient.Refused e) {
        if (e.status != 400 && e.status != 429 && e.status != 404) {
          throw e;
        }
        retried.incrementAndGet();
      }
    }
    return false;
  }

  private static boolean allDone(List<Future<?>> futures) {
    return futures.stream().allMatch(Future::isDone);
  }

  private static byte[] random(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
