package dev.berth.registry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The metrics in Prometheus' text format, with distribution's names and buckets where the concept is the same
 * (docs/day-two.md lists them all). Micrometer maps the dotted names: a counter {@code registry.http.requests} is
 * {@code registry_http_requests_total}, a timer {@code registry.http.request.duration} the histogram
 * {@code registry_http_request_duration_seconds}. Thread-safe; recording never blocks.
 */
public final class PrometheusMetrics implements RegistryMetrics, AutoCloseable {
  /** The text exposition format the scrape is written in. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** distribution's request duration buckets (registry/handlers: .005 s to 60 s). */
  private static final Duration[] REQUEST_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 60);
  /** Prometheus' default buckets, which distribution's storage action timer uses. */
  private static final Duration[] STORAGE_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10);
  /** distribution's size buckets: 1 KiB doubling 22 times. */
  private static final double[] SIZE_BUCKETS = sizeBuckets();
  private static final String[] CODES = codes();
  private static final String[] METHODS = {"get", "head", "put", "post", "patch", "delete", "options", "other"};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final JvmGcMetrics jvmGc = new JvmGcMetrics();
  private final Meter.MeterProvider<Counter> requests;
  private final Meter.MeterProvider<Timer> durations;
  private final Meter.MeterProvider<DistributionSummary> requestSizes;
  private final Meter.MeterProvider<DistributionSummary> responseSizes;
  private final Meter.MeterProvider<Timer> storageActions;
  private final Meter.MeterProvider<Counter> storageErrors;
  private final Map<DownloadRoute, Counter> downloads = new EnumMap<>(DownloadRoute.class);
  private final Map<Handler, AtomicInteger> inFlight = new EnumMap<>(Handler.class);
  /** The meters of each handler and method, resolved once: a Micrometer lookup per request costs more than the rest. */
  private final AtomicReferenceArray<RequestSeries> series =
      new AtomicReferenceArray<>(Handler.values().length * METHODS.length);
  private final AtomicInteger uploads = new AtomicInteger();
  private final Map<AuthFailure, Counter> authFailures = new EnumMap<>(AuthFailure.class);
  private final Meter.MeterProvider<Counter> gcRuns;
  private final Meter.MeterProvider<Counter> gcDeleted;
  private final Counter gcReclaimed;
  private final Timer gcDuration;
  private final AtomicLong gcLastSuccess = new AtomicLong();
  private final Meter.MeterProvider<Counter> proxyRequests;
  private final Meter.MeterProvider<Counter> proxyHits;
  private final Meter.MeterProvider<Counter> proxyMisses;
  /** Gauges hold their state weakly; this holds the certificate's supplier for as long as the metrics live. */
  private final AtomicReference<Supplier<Instant>> certificate = new AtomicReference<>();

  public PrometheusMetrics(Clock clock) {
    this.clock = clock;
    // Two of ProcessorMetrics' names break Prometheus' naming rules (promtool flags a _count gauge and a _ns counter);
    // the rest of the binder's meters (usage, load average) are kept. Filters go first: they apply to later meters.
    registry.config().meterFilter(MeterFilter.deny(id ->
        id.getName().equals("system.cpu.count") || id.getName().equals("process.cpu.time")));
    requests = Counter.builder("registry.http.requests")
        .description("The number of HTTP requests, by route handler, status code and method")
        .withRegistry(registry);
    durations = Timer.builder("registry.http.request.duration")
        .description("How long HTTP requests took until the response was written, by route handler and method")
        .serviceLevelObjectives(REQUEST_BUCKETS)
        .withRegistry(registry);
    requestSizes = DistributionSummary.builder("registry.http.request.size").baseUnit("bytes")
        .description("Request body sizes, by route handler")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .withRegistry(registry);
    responseSizes = DistributionSummary.builder("registry.http.response.size").baseUnit("bytes")
        .description("Response body sizes, by route handler")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .withRegistry(registry);
    for (Handler handler : Handler.values()) {
      if (handler != Handler.UNKNOWN) {
        AtomicInteger count = new AtomicInteger();
        inFlight.put(handler, count);
        Gauge.builder("registry.http.in.flight.requests", count, AtomicInteger::get)
            .description("HTTP requests routed and not yet answered, by route handler")
            .tag("handler", handler.label())
            .register(registry);
      }
    }
    storageActions = Timer.builder("registry.storage.action")
        .description("How long storage driver calls took, by driver and action")
        .serviceLevelObjectives(STORAGE_BUCKETS)
        .withRegistry(registry);
    storageErrors = Counter.builder("registry.storage.action.errors")
        .description("Storage driver calls that failed (disk or bucket errors), by driver and action")
        .withRegistry(registry);
    for (DownloadRoute route : DownloadRoute.values()) {
      downloads.put(route, downloads(registry, route));
    }
    Gauge.builder("registry.uploads.in.flight", uploads, AtomicInteger::get)
        .description("Blob upload bodies being received right now")
        .register(registry);
    for (AuthFailure reason : AuthFailure.values()) {
      authFailures.put(reason, Counter.builder("registry.auth.failures")
          .description("Refused logins and tokens, by reason")
          .tag("reason", reason.label())
          .register(registry));
    }
    gcRuns = Counter.builder("registry.gc.runs")
        .description("Garbage collections run in this server, by result (success, failed, dry_run)")
        .withRegistry(registry);
    gcDeleted = Counter.builder("registry.gc.deleted")
        .description("What garbage collection deleted, by type")
        .withRegistry(registry);
    gcReclaimed = Counter.builder("registry.gc.reclaimed").baseUnit("bytes")
        .description("Bytes of blob data garbage collection deleted")
        .register(registry);
    gcDuration = Timer.builder("registry.gc.duration")
        .description("How long garbage collections took")
        .register(registry);
    Gauge.builder("registry.gc.last.success.timestamp", gcLastSuccess, AtomicLong::get).baseUnit("seconds")
        .description("When the last complete garbage collection finished (Unix time; 0 before the first)")
        .register(registry);
    proxyRequests = Counter.builder("registry.proxy.requests")
        .description("Pull-through cache lookups, by type (manifest, blob)")
        .withRegistry(registry);
    proxyHits = Counter.builder("registry.proxy.hits")
        .description("Pull-through cache lookups answered from storage, by type")
        .withRegistry(registry);
    proxyMisses = Counter.builder("registry.proxy.misses")
        .description("Pull-through cache lookups fetched from the upstream, by type")
        .withRegistry(registry);
    new JvmMemoryMetrics().bindTo(registry);
    jvmGc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** The current values in the text exposition format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void requestStarted(Handler handler) {
    inFlight.get(handler).incrementAndGet();
  }

  @Override
  public void requestFinished(Handler routed, String method, int status, long bytesIn, long bytesOut, long nanos) {
    Handler handler = routed == null ? Handler.UNKNOWN : routed;
    if (routed != null) {
      inFlight.get(routed).decrementAndGet();
    }
    RequestSeries meters = series(handler, methodIndex(method));
    meters.requests(status).increment();
    meters.duration.record(nanos, TimeUnit.NANOSECONDS);
    meters.requestSize.record(bytesIn);
    meters.responseSize.record(bytesOut);
  }

  /** The meters of one handler and method; the per-code counters appear as codes do. */
  private final class RequestSeries {
    final String handler;
    final String method;
    final Timer duration;
    final DistributionSummary requestSize;
    final DistributionSummary responseSize;
    final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(CODES.length);

    RequestSeries(Handler handler, String method) {
      this.handler = handler.label();
      this.method = method;
      this.duration = durations.withTags("handler", this.handler, "method", method);
      this.requestSize = requestSizes.withTags("handler", this.handler);
      this.responseSize = responseSizes.withTags("handler", this.handler);
    }

    Counter requests(int status) {
      if (status < 0 || status >= CODES.length) {
        return requests.withTags("handler", handler, "code", Integer.toString(status), "method", method);
      }
      Counter counter = byCode.get(status);
      if (counter == null) {
        // a race registers the same counter twice: Micrometer returns the one it has
        counter = requests.withTags("handler", handler, "code", CODES[status], "method", method);
        byCode.set(status, counter);
      }
      return counter;
    }
  }

  private RequestSeries series(Handler handler, int method) {
    int index = handler.ordinal() * METHODS.length + method;
    RequestSeries meters = series.get(index);
    if (meters == null) {
      meters = new RequestSeries(handler, METHODS[method]);
      series.compareAndSet(index, null, meters);
      meters = series.get(index);
    }
    return meters;
  }

  @Override
  public void storageAction(String driver, String action, long nanos) {
    storageActions.withTags("driver", driver, "action", action).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void storageError(String driver, String action) {
    storageErrors.withTags("driver", driver, "action", action).increment();
  }

  @Override
  public void objectDownload(DownloadRoute route) {
    downloads.get(route).increment();
  }

  private static Counter downloads(PrometheusMeterRegistry registry, DownloadRoute route) {
    return Counter.builder("registry.storage.downloads")
        .description("Blob downloads streamed from object storage, by how: relayed by the server's own HTTP client"
            + " (relay) or read through the storage client when the relay could not be used (client)")
        .tag("via", route.label())
        .register(registry);
  }

  @Override
  public void uploadStarted() {
    uploads.incrementAndGet();
  }

  @Override
  public void uploadEnded() {
    uploads.decrementAndGet();
  }

  @Override
  public void authRefused(AuthFailure reason) {
    authFailures.get(reason).increment();
  }

  @Override
  public void gcRun(GcRun run) {
    gcDuration.record(run.durationNanos(), TimeUnit.NANOSECONDS);
    if (run.dryRun()) {
      gcRuns.withTags("result", "dry_run").increment();
      return;
    }
    gcRuns.withTags("result", run.error() == null ? "success" : "failed").increment();
    gcReclaimed.increment(run.bytesFreed());
    gcDeleted.withTags("type", "blob").increment(run.blobs());
    gcDeleted.withTags("type", "manifest").increment(run.manifests());
    gcDeleted.withTags("type", "tag").increment(run.tags());
    gcDeleted.withTags("type", "layer_link").increment(run.layerLinks());
    gcDeleted.withTags("type", "upload").increment(run.uploads());
    if (run.error() == null) {
      gcLastSuccess.set(run.finished().getEpochSecond());
    }
  }

  @Override
  public void cacheLookup(CacheItem type, boolean hit) {
    proxyRequests.withTags("type", type.label()).increment();
    (hit ? proxyHits : proxyMisses).withTags("type", type.label()).increment();
  }

  /** distribution's {@code registry_notifications_events_total{type}}, with Berth's drops, and failed POSTs. */
  @Override
  public void notifications(String endpoint, dev.berth.registry.notify.NotificationStats stats) {
    eventCounter(endpoint, "successes", stats, dev.berth.registry.notify.NotificationStats::delivered);
    eventCounter(endpoint, "failures", stats, dev.berth.registry.notify.NotificationStats::failed);
    eventCounter(endpoint, "dropped", stats, dev.berth.registry.notify.NotificationStats::dropped);
    io.micrometer.core.instrument.FunctionCounter.builder("registry.notifications.errors", stats,
            dev.berth.registry.notify.NotificationStats::attemptsFailed)
        .description("Deliveries (POSTs) to the endpoint that failed").tag("endpoint", endpoint).register(registry);
  }

  private void eventCounter(String endpoint, String type, dev.berth.registry.notify.NotificationStats stats,
      java.util.function.ToLongFunction<dev.berth.registry.notify.NotificationStats> count) {
    io.micrometer.core.instrument.FunctionCounter.builder("registry.notifications.events", stats,
            s -> count.applyAsLong(s))
        .description("Events for the endpoint by outcome: successes (delivered), failures (given up after the last"
            + " retry), dropped (its queue was full)")
        .tag("endpoint", endpoint).tag("type", type).register(registry);
  }

  @Override
  public void certificateExpiry(Supplier<Instant> notAfter) {
    if (certificate.getAndSet(notAfter) == null) {
      Gauge.builder("registry.tls.certificate.expiry", certificate, this::secondsUntilExpiry).baseUnit("seconds")
          .description("Seconds until the serving certificate's notAfter (negative once it has expired)")
          .register(registry);
    }
  }

  private double secondsUntilExpiry(AtomicReference<Supplier<Instant>> current) {
    Instant notAfter = current.get().get();
    return notAfter == null ? Double.NaN : Duration.between(clock.instant(), notAfter).toMillis() / 1000.0;
  }

  @Override
  public void close() {
    jvmGc.close();
    registry.close();
  }

  /**
   * The {@code method} label, lowercase as distribution's (the Prometheus client's) instrumentation writes it:
   * an index into {@link #METHODS}; anything else is "other", so a client cannot make new series.
   */
  private static int methodIndex(String method) {
    return switch (method) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "PUT" -> 2;
      case "POST" -> 3;
      case "PATCH" -> 4;
      case "DELETE" -> 5;
      case "OPTIONS" -> 6;
      default -> 7;
    };
  }

  private static String[] codes() {
    String[] codes = new String[600];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = Integer.toString(i);
    }
    return codes;
  }

  private static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return durations;
  }

  private static double[] sizeBuckets() {
    double[] buckets = new double[22];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = 1024.0 * (1L << i);
    }
    return buckets;
  }
}
