package dev.berth.registry.notify;

/** Where the HTTP layer reports what it did; must never block a registry request. */
@FunctionalInterface
public interface EventSink {
  /** Takes no events: the sink when no endpoint is configured. */
  EventSink NONE = event -> {};

  void emit(Event event);
}
