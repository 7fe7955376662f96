package dev.berth.registry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.metrics.RegistryMetrics.AuthFailure;
import dev.berth.registry.metrics.RegistryMetrics.CacheItem;
import dev.berth.registry.testsupport.MutableClock;
import dev.berth.registry.testsupport.PrometheusText;
import dev.berth.registry.testsupport.Promtool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each recording call moves exactly its metric, under distribution's name where it has one, and the exposition passes
 * Prometheus' own checker. The HTTP path through a running server is covered by the end-to-end metrics test.
 */
class PrometheusMetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @TempDir
  Path tmp;
  final MutableClock clock = new MutableClock(NOW);
  final PrometheusMetrics metrics = new PrometheusMetrics(clock);

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aRequestIsCountedTimedAndSizedUnderItsHandler() {
    metrics.requestStarted(Handler.BLOB_UPLOAD_CHUNK);
    PrometheusText during = PrometheusText.parse(metrics.scrape());
    metrics.requestFinished(Handler.BLOB_UPLOAD_CHUNK, "PUT", 201, 3000, 0, TimeUnit.MILLISECONDS.toNanos(30));
    PrometheusText after = PrometheusText.parse(metrics.scrape());

    assertThat(during.value("registry_http_in_flight_requests", "handler", "blob_upload_chunk")).contains(1.0);
    assertThat(after.value("registry_http_in_flight_requests", "handler", "blob_upload_chunk")).contains(0.0);
    assertThat(after.value("registry_http_requests_total", "handler", "blob_upload_chunk", "code", "201", "method", "put"))
        .contains(1.0);
    assertThat(after.type("registry_http_request_duration_seconds")).contains("histogram");
    assertThat(after.value("registry_http_request_duration_seconds_bucket",
        "handler", "blob_upload_chunk", "method", "put", "le", "0.025")).contains(0.0);
    assertThat(after.value("registry_http_request_duration_seconds_bucket",
        "handler", "blob_upload_chunk", "method", "put", "le", "0.05")).contains(1.0);
    assertThat(after.value("registry_http_request_size_bytes_sum", "handler", "blob_upload_chunk")).contains(3000.0);
    assertThat(after.value("registry_http_request_size_bytes_bucket", "handler", "blob_upload_chunk", "le", "4096.0"))
        .contains(1.0);
    assertThat(after.value("registry_http_response_size_bytes_count", "handler", "blob_upload_chunk")).contains(1.0);
  }

  @Test
  void objectStoreDownloadsAreCountedByRoute() {
    PrometheusText before = PrometheusText.parse(metrics.scrape());
    metrics.objectDownload(DownloadRoute.RELAY);
    metrics.objectDownload(DownloadRoute.RELAY);
    metrics.objectDownload(DownloadRoute.CLIENT);
    PrometheusText after = PrometheusText.parse(metrics.scrape());

    // both series exist from the start, so a fallback shows as a rate rather than as a series appearing
    assertThat(before.value("registry_storage_downloads_total", "via", "relay")).contains(0.0);
    assertThat(before.value("registry_storage_downloads_total", "via", "client")).contains(0.0);
    assertThat(after.value("registry_storage_downloads_total", "via", "relay")).contains(2.0);
    assertThat(after.value("registry_storage_downloads_total", "via", "client")).contains(1.0);
  }

  @Test
  void anUnroutedRequestIsCountedAsUnknownAndNeverInFlight() {
    metrics.requestFinished(null, "BREW", 400, 0, 120, 1000);
    PrometheusText text = PrometheusText.parse(metrics.scrape());

    assertThat(text.value("registry_http_requests_total", "handler", "unknown", "code", "400", "method", "other"))
        .contains(1.0);
    assertThat(text.value("registry_http_in_flight_requests", "handler", "unknown")).isEmpty();
  }

  @Test
  void storageUploadsAuthCacheAndGcHaveTheirOwnMetrics() {
    metrics.storageAction("filesystem", "GetContent", TimeUnit.MILLISECONDS.toNanos(2));
    metrics.uploadStarted();
    metrics.uploadStarted();
    metrics.uploadEnded();
    metrics.authRefused(AuthFailure.INVALID_CREDENTIALS);
    metrics.authRefused(AuthFailure.THROTTLED);
    metrics.authRefused(AuthFailure.THROTTLED);
    metrics.cacheLookup(CacheItem.BLOB, true);
    metrics.cacheLookup(CacheItem.BLOB, false);
    metrics.cacheLookup(CacheItem.MANIFEST, true);
    metrics.gcRun(new RegistryMetrics.GcRun(false, null, TimeUnit.SECONDS.toNanos(3), NOW, 5000, 2, 1, 1, 3, 4));
    metrics.gcRun(new RegistryMetrics.GcRun(false, "storage unreadable", 1000, NOW.plusSeconds(60), 0, 0, 0, 0, 0, 0));
    metrics.gcRun(new RegistryMetrics.GcRun(true, null, 1000, NOW.plusSeconds(120), 999, 9, 9, 9, 9, 9));
    PrometheusText text = PrometheusText.parse(metrics.scrape());

    assertThat(text.value("registry_storage_action_seconds_count", "driver", "filesystem", "action", "GetContent"))
        .contains(1.0);
    assertThat(text.type("registry_storage_action_seconds")).contains("histogram");
    assertThat(text.value("registry_uploads_in_flight")).contains(1.0);
    assertThat(text.value("registry_auth_failures_total", "reason", "invalid_credentials")).contains(1.0);
    assertThat(text.value("registry_auth_failures_total", "reason", "throttled")).contains(2.0);
    assertThat(text.value("registry_auth_failures_total", "reason", "invalid_token")).contains(0.0);
    assertThat(text.value("registry_proxy_requests_total", "type", "blob")).contains(2.0);
    assertThat(text.value("registry_proxy_hits_total", "type", "blob")).contains(1.0);
    assertThat(text.value("registry_proxy_misses_total", "type", "blob")).contains(1.0);
    assertThat(text.value("registry_proxy_hits_total", "type", "manifest")).contains(1.0);
    assertThat(text.value("registry_gc_runs_total", "result", "success")).contains(1.0);
    assertThat(text.value("registry_gc_runs_total", "result", "failed")).contains(1.0);
    assertThat(text.value("registry_gc_runs_total", "result", "dry_run")).contains(1.0);
    // a dry run deletes nothing, so it frees nothing
    assertThat(text.value("registry_gc_reclaimed_bytes_total")).contains(5000.0);
    assertThat(text.value("registry_gc_deleted_total", "type", "blob")).contains(2.0);
    assertThat(text.value("registry_gc_deleted_total", "type", "layer_link")).contains(3.0);
    assertThat(text.value("registry_gc_deleted_total", "type", "upload")).contains(4.0);
    assertThat(text.value("registry_gc_duration_seconds_count")).contains(3.0);
    assertThat(text.value("registry_gc_last_success_timestamp_seconds")).contains((double) NOW.getEpochSecond());
  }

  @Test
  void certificateExpiryCountsDownOnTheClockAndFollowsAReload() {
    Instant[] notAfter = {NOW.plus(Duration.ofDays(30))};
    metrics.certificateExpiry(() -> notAfter[0]);

    assertThat(PrometheusText.parse(metrics.scrape()).value("registry_tls_certificate_expiry_seconds"))
        .contains((double) Duration.ofDays(30).toSeconds());
    clock.advance(Duration.ofDays(1));
    assertThat(PrometheusText.parse(metrics.scrape()).value("registry_tls_certificate_expiry_seconds"))
        .contains((double) Duration.ofDays(29).toSeconds());
    notAfter[0] = NOW.plus(Duration.ofDays(90)); // the certificate file was replaced and reloaded
    assertThat(PrometheusText.parse(metrics.scrape()).value("registry_tls_certificate_expiry_seconds"))
        .contains((double) Duration.ofDays(89).toSeconds());
  }

  @Test
  void theExpositionPassesPromtool() {
    Promtool promtool = Promtool.require();
    for (Handler handler : Handler.values()) {
      if (handler != Handler.UNKNOWN) {
        metrics.requestStarted(handler);
        metrics.requestFinished(handler, "GET", 200, 0, 100, 1000);
      }
    }
    metrics.storageAction("s3aws", "PutContent", 1000);
    metrics.authRefused(AuthFailure.INVALID_TOKEN);
    metrics.cacheLookup(CacheItem.MANIFEST, false);
    metrics.gcRun(new RegistryMetrics.GcRun(false, null, 1000, NOW, 1, 1, 1, 1, 1, 1));
    metrics.certificateExpiry(() -> NOW.plusSeconds(3600));

    promtool.checkMetrics(metrics.scrape(), tmp).assertSuccess();
  }
}
