package dev.berth.operator.proxy;

import dev.berth.operator.spec.ProxySpec;
import dev.berth.operator.spec.UpstreamSpec;
import dev.berth.operator.status.ConditionState;
import dev.berth.operator.status.ConditionType;
import dev.berth.operator.status.UpstreamStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether each upstream of the pull-through cache answers, from the operator's side: {@code GET <url>/v2/}, where any
 * status below 500 (401 included: it wants a login, it is there) is reachable. Answers are kept for
 * {@link #INTERVAL}, so reconciles do not probe the internet each time; all upstreams are asked at once, each bounded.
 */
public class UpstreamProbe {
  /** How long an answer is kept, and how often a Registry with upstreams is looked at again. */
  public static final Duration INTERVAL = Duration.ofMinutes(2);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, Check> checks = new ConcurrentHashMap<>();

  /** One answer: reachable or the error, since when that has been so, and when it was asked. */
  record Check(boolean reachable, String error, Instant since, Instant asked) {}

  public UpstreamProbe(Clock clock) {
    this.clock = clock;
  }

  /** The status of every upstream of {@code spec}, in spec order; empty without upstreams. */
  public List<UpstreamStatus> check(ProxySpec spec) {
    Instant now = clock.instant();
    Map<String, CompletableFuture<Check>> pending = new LinkedHashMap<>();
    for (UpstreamSpec upstream : spec.upstreamsOrEmpty()) {
      String url = upstream.urlOrEmpty();
      Check known = checks.get(url);
      pending.put(url, known != null && known.asked().plus(INTERVAL).isAfter(now)
          ? CompletableFuture.completedFuture(known) : ask(url, known, now));
    }
    List<UpstreamStatus> statuses = new ArrayList<>();
    for (UpstreamSpec upstream : spec.upstreamsOrEmpty()) {
      Check check = join(pending.get(upstream.urlOrEmpty()), checks.get(upstream.urlOrEmpty()), now);
      checks.put(upstream.urlOrEmpty(), check);
      statuses.add(new UpstreamStatus(upstream.getName(), upstream.hostOrDefault(), check.reachable(),
          check.error(), check.since().toString()));
    }
    return statuses;
  }

  private CompletableFuture<Check> ask(String url, Check previous, Instant now) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(url + "/v2/")).timeout(TIMEOUT).GET().build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(changed(previous, false, "not a URL: " + url, now));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            return changed(previous, false, "unreachable: " + cause, now);
          }
          if (response.statusCode() >= 500) {
            return changed(previous, false, "GET /v2/ answered " + response.statusCode(), now);
          }
          return changed(previous, true, null, now);
        });
  }

  private Check join(CompletableFuture<Check> future, Check previous, Instant now) {
    try {
      return future.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return changed(previous, false, "no answer within " + TIMEOUT.multipliedBy(2).toSeconds() + "s", now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return changed(previous, false, "interrupted", now);
    }
  }

  /** Keeps {@code since} while the state stays the same, so an unchanged upstream leaves the status unchanged. */
  private static Check changed(Check previous, boolean reachable, String error, Instant now) {
    boolean same = previous != null && previous.reachable() == reachable
        && java.util.Objects.equals(previous.error(), error);
    return new Check(reachable, error, same ? previous.since() : now, now);
  }

  /** UpstreamsReachable: true when every upstream answers, else false naming each one that does not. */
  public static Optional<ConditionState> condition(List<UpstreamStatus> upstreams) {
    if (upstreams.isEmpty()) {
      return Optional.empty();
    }
    List<String> down = upstreams.stream().filter(u -> !Boolean.TRUE.equals(u.getReachable()))
        .map(u -> u.getName() + " (" + u.getHost() + "): " + u.getLastError()).toList();
    if (down.isEmpty()) {
      return Optional.of(ConditionState.isTrue(ConditionType.UPSTREAMS_REACHABLE, "AllReachable",
          upstreams.size() + "/" + upstreams.size() + " upstreams answer"));
    }
    return Optional.of(ConditionState.isFalse(ConditionType.UPSTREAMS_REACHABLE, "UpstreamUnreachable",
        String.join("; ", down) + ". Cached images are still served; uncached ones fail until it answers"));
  }
}
