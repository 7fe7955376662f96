package dev.berth.registry.gc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The marker keys of the fence and the collector lock, and their content (one fence key per line). Both sides of the
 * handshake and every replica read and write exactly these.
 *
 * <pre>
 * gc/active/&lt;runId&gt;        a collector is running (writers touch while any exists)
 * gc/touches/&lt;uuid&gt;        a writer is committing references to these keys
 * gc/condemned/&lt;runId&gt;-&lt;n&gt; a collector is deleting these keys
 * gc/clock/&lt;runId&gt;         probe whose mtime is the run's start time in storage time
 * gc/lock                  the collector lock (one collector at a time; safety does not depend on it)
 * gc/last-run.json         the last run's report, for the operator's status
 * </pre>
 */
final class FenceMarkers {
  static final String ACTIVE = "gc/active/";
  static final String TOUCHES = "gc/touches/";
  static final String CONDEMNED = "gc/condemned/";
  static final String CLOCK = "gc/clock/";
  static final String LOCK = "gc/lock";
  static final String LAST_RUN = "gc/last-run.json";

  private FenceMarkers() {}

  static byte[] encode(Set<String> keys) {
    return String.join("\n", keys).getBytes(StandardCharsets.UTF_8);
  }

  static Set<String> decode(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return Arrays.stream(text.split("\n")).filter(line -> !line.isBlank())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
