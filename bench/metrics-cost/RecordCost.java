import dev.berth.registry.metrics.Handler;
import dev.berth.registry.metrics.PrometheusMetrics;
import dev.berth.registry.metrics.RegistryMetrics;
import java.time.Clock;
import java.util.Arrays;

/**
 * What recording one request costs: the calls the server makes per request (requestStarted when routed,
 * requestFinished when the response is written), timed in a loop against the Prometheus recorder and against the
 * no-op one a server without http.debug.prometheus uses. Prints the median of several rounds in nanoseconds per
 * request, per thread count.
 */
public class RecordCost {
  private static final Handler[] HANDLERS = {Handler.MANIFEST, Handler.BLOB, Handler.BLOB, Handler.BLOB_UPLOAD_CHUNK};
  private static final String[] METHODS = {"GET", "GET", "HEAD", "PATCH"};
  private static final int[] CODES = {200, 200, 200, 202};
  private static volatile long sink;

  public static void main(String[] args) throws Exception {
    int perRound = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
    int rounds = Integer.parseInt(args.length > 1 ? args[1] : "7");
    try (PrometheusMetrics prometheus = new PrometheusMetrics(Clock.systemUTC())) {
      for (int threads : new int[] {1, 2}) {
        System.out.printf("threads=%d  no-op: %6.1f ns/request   prometheus: %6.1f ns/request%n", threads,
            median(RegistryMetrics.NONE, threads, perRound, rounds),
            median(prometheus, threads, perRound, rounds));
      }
      if (!prometheus.scrape().contains("registry_http_requests_total")) {
        throw new IllegalStateException("nothing was recorded");
      }
    }
  }

  private static double median(RegistryMetrics metrics, int threads, int perRound, int rounds) throws Exception {
    run(metrics, threads, perRound); // warm-up: JIT and every series created
    double[] results = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      results[r] = run(metrics, threads, perRound);
    }
    Arrays.sort(results);
    return results[rounds / 2];
  }

  /** Nanoseconds per request on each thread, each thread recording {@code perRound} requests. */
  private static double run(RegistryMetrics metrics, int threads, int perRound) throws Exception {
    Thread[] workers = new Thread[threads];
    long[] took = new long[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] = new Thread(() -> {
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < perRound; i++) {
          int k = i & 3;
          metrics.requestStarted(HANDLERS[k]);
          metrics.requestFinished(HANDLERS[k], METHODS[k], CODES[k], k == 3 ? 65536 : 0, 1000 + i, 50_000 + k);
          bytes += k;
        }
        took[id] = System.nanoTime() - start;
        sink += bytes;
      });
      workers[t].start();
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
      workers[t].join();
      total += took[t];
    }
    return (double) total / threads / perRound;
  }
}
