package dev.berth.registry.gc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.storage.DriverStorage;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.storage.StorageBackend;
import dev.berth.registry.storage.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for docs/benchmarks.md, not a test: run with {@code -Dberth.gcBench=true}. GC time over N garbage blobs plus
 * live images, and manifest-push throughput through the fenced storage while collections run back to back vs idle.
 */
class GcBenchmark {
  @TempDir Path root;

  @Test
  void gcTimeAndPushThroughput() throws Exception {
    assumeTrue(Boolean.getBoolean("berth.gcBench"), "benchmark: run with -Dberth.gcBench=true");
    collect("filesystem", StorageBackend.filesystem(), 10_000);
    collect("filesystem", StorageBackend.filesystem(), 100_000);
    collect("s3", StorageBackend.s3(), 10_000);

    Path dir = root.resolve("push");
    LayoutGcStore store = LayoutGcStore.filesystem(dir);
    FilesystemStorage storage = new FilesystemStorage(dir, Duration.ofSeconds(30), new MarkerFence(store, FenceTiming.DEFAULTS));
    double idle = pushesPerSecond(storage, "idle", Duration.ofSeconds(10));
    AtomicBoolean running = new AtomicBoolean(true);
    FenceTiming quick = new FenceTiming(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofHours(1));
    Thread gc = new Thread(() -> {
      GarbageCollector collector = new GarbageCollector(store, quick, Clock.systemUTC());
      while (running.get()) {
        collector.run(GcOptions.defaults().withGracePeriod(Duration.ofSeconds(1)), GcEvents.NONE);
      }
    });
    gc.start();
    double busy = pushesPerSecond(storage, "gc", Duration.ofSeconds(10));
    running.set(false);
    gc.join(60_000);
    System.out.printf("gc bench: image pushes/s idle %.0f, while GC runs back to back %.0f (ratio %.2f)%n", idle, busy,
        busy / idle);
  }

  /**
   * GC time over {@code blobs} garbage blobs beside 100 live images. The garbage is written as files straight into
   * the layout (s3proxy keeps objects as files too), since pushing 100,000 blobs would measure pushes.
   */
  private static void collect(String medium, StorageBackend backend, int blobs) throws Exception {
    FenceTiming timing = FenceTiming.DEFAULTS;
    DriverStorage storage = backend.open(files -> new MarkerFence(new LayoutGcStore(files), timing));
    LayoutGcStore store = new LayoutGcStore(storage.files());
    for (int i = 0; i < 100; i++) {
      GcFixtures.image(storage, GcFixtures.repo("bench/r" + (i % 10)), "i" + i, "v" + i, "", "base", "top-" + i);
    }
    StorageLayout layout = new StorageLayout(backend.root());
    for (int i = 0; i < blobs; i++) {
      byte[] content = ("garbage " + i).getBytes(StandardCharsets.UTF_8);
      Path data = layout.blobData(Digest.sha256(content));
      Files.createDirectories(data.getParent());
      Files.write(data, content);
    }
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
    long started = System.nanoTime();
    GcReport report = new GarbageCollector(store, timing, later).run(GcOptions.defaults(), GcEvents.NONE).orElseThrow();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("gc bench: %s, %d garbage blobs + 100 images: %.1f s (of which %.1f s the writer window),"
        + " %d blobs deleted%n", medium, blobs, seconds, timing.writerWindow().toMillis() / 1000.0,
        report.blobsDeleted());
    storage.close();
  }

  private static double pushesPerSecond(FilesystemStorage storage, String prefix, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long started = System.nanoTime();
    int n = 0;
    while (System.nanoTime() < end) {
      GcFixtures.image(storage, GcFixtures.repo("push/app"), prefix + n + Instant.now(), prefix + "-" + n, "",
          "shared-base", prefix + "-top-" + n);
      n++;
    }
    return n / ((System.nanoTime() - started) / 1e9);
  }
}
