package dev.berth.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts finished reconciles per Registry (through the operator's metrics hook), so a test can wait for proof that a
 * reconcile ran after a change instead of sleeping and hoping one did.
 */
public final class ReconcileCounter implements Metrics {
  private final Map<String, AtomicLong> finished = new ConcurrentHashMap<>();

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    finished.computeIfAbsent(key(resource.getMetadata().getNamespace(), resource.getMetadata().getName()),
        k -> new AtomicLong()).incrementAndGet();
  }

  public long count(String namespace, String name) {
    AtomicLong count = finished.get(key(namespace, name));
    return count == null ? 0 : count.get();
  }

  /** Waits until a reconcile of the Registry that started after this call has finished. */
  public void awaitNextReconcile(String namespace, String name, Duration atMost) {
    // a reconcile running right now may have read the state before the caller's change: wait for the one after it
    long target = count(namespace, name) + 2;
    await().atMost(atMost).until(() -> count(namespace, name) >= target);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
