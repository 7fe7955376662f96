package dev.berth.registry.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One registry event in distribution's shape ({@code notifications/event.go}), so receivers written for registry:2
 * read it unchanged. {@code id} is a UUID: delivery is at least once, receivers dedupe on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String id, String timestamp, String action, Target target, Request request, Actor actor,
    Source source) {
  public static final String PUSH = "push";
  public static final String PULL = "pull";
  public static final String MOUNT = "mount";
  public static final String DELETE = "delete";

  /** What the action was on; delete events carry only the repository and the digest (or the tag). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(String mediaType, Long size, String digest, Long length, String repository,
      String fromRepository, String url, String tag, List<String> references) {}

  /** The HTTP request that caused the event. */
  public record Request(String id, String addr, String host, String method,
      @JsonProperty("useragent") String userAgent) {}

  /** Who made the request; no name for anonymous requests. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Actor(String name) {}

  /** The registry instance that emitted the event. */
  public record Source(String addr, @JsonProperty("instanceID") String instanceId) {}
}
