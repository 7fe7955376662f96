package dev.berth.registry.proxy;

import java.time.Instant;

/** What the cache last saw of an upstream: its last error (null once an answer came after it) and when. */
public record UpstreamHealth(String name, String host, String lastError, Instant lastErrorAt, Instant lastSuccessAt) {}
