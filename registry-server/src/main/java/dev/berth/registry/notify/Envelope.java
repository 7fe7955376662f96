package dev.berth.registry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** distribution 2.x's envelope {@code {"events": [...]}} and its media type. */
final class Envelope {
  static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Envelope() {}

  static byte[] of(List<Event> events) {
    try {
      return MAPPER.writeValueAsBytes(Map.of("events", events));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise events", e);
    }
  }
}
