package dev.berth.registry.notify;

import dev.berth.registry.config.RegistryConfig.NotificationEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's bounded queue and its single sender thread. {@link #offer} never blocks: a full queue drops the
 * event (counted and logged). The sender takes the oldest events (up to the batch size) and retries that batch until
 * it is delivered or has used its retries, before it looks at later events, so an endpoint sees events in order.
 */
final class EndpointSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSender.class);

  private final NotificationEndpoint endpoint;
  private final Delivery delivery;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Backoff backoff;
  private final BlockingQueue<Event> queue;
  private final NotificationStats stats = new NotificationStats();
  private volatile Thread thread;
  private volatile boolean closed;

  EndpointSender(NotificationEndpoint endpoint, Delivery delivery, Sleeper sleeper, DoubleSupplier random) {
    this.endpoint = endpoint;
    this.delivery = delivery;
    this.sleeper = sleeper;
    this.random = random;
    this.backoff = new Backoff(endpoint.threshold(), endpoint.backoff(), endpoint.maxBackoff());
    this.queue = new ArrayBlockingQueue<>(endpoint.queueSize());
  }

  NotificationEndpoint endpoint() {
    return endpoint;
  }

  NotificationStats stats() {
    return stats;
  }

  /** Queues the event unless the queue is full; never waits. */
  boolean offer(Event event) {
    if (queue.offer(event)) {
      return true;
    }
    long dropped = stats.dropped(1);
    // one line for the first drop and then at each power of two, so a dead receiver cannot flood the log
    if (Long.bitCount(dropped) == 1) {
      LOG.warn("notification endpoint '{}': queue full ({} events), dropped {} event(s) so far; last dropped: {} {}",
          endpoint.name(), endpoint.queueSize(), dropped, event.action(), event.target().repository());
    }
    return false;
  }

  void start() {
    Thread sender = new Thread(this::run, "notify-" + endpoint.name());
    sender.setDaemon(true);
    thread = sender;
    sender.start();
  }

  private void run() {
    try {
      while (!closed) {
        deliverNext(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits up to the given time for events, then delivers one batch (retrying as configured). Returns the batch's
   * size, 0 when nothing came.
   */
  int deliverNext(long timeout, TimeUnit unit) throws InterruptedException {
    Event first = queue.poll(timeout, unit);
    if (first == null) {
      return 0;
    }
    List<Event> batch = new ArrayList<>(Math.min(endpoint.batchSize(), 64));
    batch.add(first);
    queue.drainTo(batch, endpoint.batchSize() - 1);
    byte[] envelope = Envelope.of(batch);
    for (int attempt = 0; ; attempt++) {
      String problem = attempt(envelope);
      if (problem == null) {
        stats.delivered(batch.size());
        return batch.size();
      }
      stats.attemptFailed();
      if (attempt >= endpoint.maxRetries()) {
        stats.failed(batch.size());
        LOG.warn("notification endpoint '{}': dropped {} event(s) (first id {}) after {} attempt(s): {}",
            endpoint.name(), batch.size(), first.id(), attempt + 1, problem);
        return batch.size();
      }
      LOG.debug("notification endpoint '{}': attempt {} failed: {}", endpoint.name(), attempt + 1, problem);
      sleeper.sleep(backoff.delay(attempt + 1, random));
    }
  }

  /** Null when delivered (any 2xx or 3xx, as distribution counts it), else what went wrong. */
  private String attempt(byte[] envelope) throws InterruptedException {
    try {
      int status = delivery.post(envelope);
      return status >= 200 && status < 400 ? null : "HTTP " + status;
    } catch (java.io.IOException | RuntimeException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  /** Stops the sender; events still queued are lost, as in distribution (queues live in memory). */
  @Override
  public void close() {
    closed = true;
    Thread sender = thread;
    if (sender != null) {
      sender.interrupt();
      try {
        sender.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
