package dev.berth.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JOSDK's monitoring hook recorded in Micrometer and served as Prometheus text on the operator's health port
 * ({@code /metrics}, docs/day-two.md). Names follow JOSDK's own Micrometer support ({@code operator.sdk.*}); there is
 * no per-resource label (a cluster may hold many Registries), only the controller and, for failures, the exception
 * class.
 */
public final class OperatorMetrics implements Metrics, AutoCloseable {
  /** The text exposition format {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics jvmGc = new JvmGcMetrics();
  private final Counter started;
  private final Counter retries;
  private final Counter success;
  private final Meter.MeterProvider<Counter> failed;
  private final Counter events;
  private final Counter cleanups;
  private final AtomicInteger executing = new AtomicInteger();
  private final Meter.MeterProvider<Timer> executions;

  public OperatorMetrics() {
    started = Counter.builder("operator.sdk.reconciliations.started")
        .description("Reconciliations started (retries included)").register(registry);
    retries = Counter.builder("operator.sdk.reconciliations.retries")
        .description("Reconciliations started as a retry of a failed one").register(registry);
    success = Counter.builder("operator.sdk.reconciliations.success")
        .description("Reconciliations that finished without an error").register(registry);
    failed = Counter.builder("operator.sdk.reconciliations.failed")
        .description("Reconciliations that failed, by exception class").withRegistry(registry);
    events = Counter.builder("operator.sdk.events.received")
        .description("Events received from the informers").register(registry);
    cleanups = Counter.builder("operator.sdk.reconciliations.cleanups")
        .description("Deleted resources whose cleanup finished").register(registry);
    Gauge.builder("operator.sdk.reconciliations.executions", executing, AtomicInteger::get)
        .description("Reconciliations running right now").register(registry);
    executions = Timer.builder("operator.sdk.controllers.execution")
        .description("How long controller executions (reconcile, cleanup) took, by controller, execution and result")
        .publishPercentileHistogram()
        .withRegistry(registry);
    new JvmMemoryMetrics().bindTo(registry);
    jvmGc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The current values in the text exposition format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    events.increment();
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
    started.increment();
    if (retry != null && retry.getAttemptCount() > 0) {
      retries.increment();
    }
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    executing.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    executing.decrementAndGet();
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    success.increment();
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
    failed.withTags("exception", cause.getClass().getSimpleName()).increment();
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    cleanups.increment();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    String result = "failure";
    try {
      T value = execution.execute();
      result = "success";
      return value;
    } finally {
      executions.withTags("controller", execution.controllerName(), "execution", execution.name(), "result", result)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    jvmGc.close();
    registry.close();
  }
}
