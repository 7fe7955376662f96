package dev.berth.registry.notify;

import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.config.RegistryConfig.NotificationEndpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Fans events out to every configured endpoint that does not ignore them; each endpoint has its own queue. */
public final class Notifier implements EventSink, AutoCloseable {
  private final List<EndpointSender> senders;

  private Notifier(List<EndpointSender> senders) {
    this.senders = List.copyOf(senders);
  }

  /** Starts one sender thread per endpoint; the sink is {@link EventSink#NONE}'s equivalent when there are none. */
  public static Notifier start(RegistryConfig.Notifications config) {
    Notifier notifier = new Notifier(config.endpoints().stream()
        .map(endpoint -> new EndpointSender(endpoint, new HttpDelivery(endpoint), Sleeper.REAL,
            () -> ThreadLocalRandom.current().nextDouble()))
        .toList());
    notifier.senders.forEach(EndpointSender::start);
    return notifier;
  }

  public boolean enabled() {
    return !senders.isEmpty();
  }

  @Override
  public void emit(Event event) {
    for (EndpointSender sender : senders) {
      if (accepts(sender.endpoint(), event)) {
        sender.offer(event);
      }
    }
  }

  static boolean accepts(NotificationEndpoint endpoint, Event event) {
    if (endpoint.ignoredActions().contains(event.action())) {
      return false;
    }
    String mediaType = event.target().mediaType();
    return mediaType == null || !endpoint.ignoredMediaTypes().contains(mediaType);
  }

  /** Each endpoint's counts by endpoint name. */
  public Map<String, NotificationStats> stats() {
    Map<String, NotificationStats> stats = new LinkedHashMap<>();
    senders.forEach(sender -> stats.put(sender.endpoint().name(), sender.stats()));
    return stats;
  }

  @Override
  public void close() {
    senders.forEach(EndpointSender::close);
  }
}
