package dev.berth.registry.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts writing an upload's bytes to disk while more are still arriving, so the fsync that makes the blob durable at
 * completion has little left to wait for (registry:2 never fsyncs; this keeps Berth's durability from costing push
 * time). Purely an optimisation: completion still fsyncs everything itself.
 */
final class EarlyWriteback {
  private static final long THRESHOLD_BYTES = 32L << 20;
  private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "berth-writeback");
    thread.setDaemon(true);
    return thread;
  });

  private final AtomicBoolean flushing = new AtomicBoolean();
  private long unflushed;

  /** Called after {@code bytes} were written to {@code channel}; at most one flush per upload is queued at a time. */
  void wrote(FileChannel channel, long bytes) {
    unflushed += bytes;
    if (unflushed < THRESHOLD_BYTES || !flushing.compareAndSet(false, true)) {
      return;
    }
    unflushed = 0;
    FLUSHER.execute(() -> {
      try {
        channel.force(false);
      } catch (IOException closedOrFailed) {
        // the session closed its channel, or the disk failed: completion's own fsync reports real failures
      } finally {
        flushing.set(false);
      }
    });
  }
}
