package dev.berth.registry.config;

import java.util.Map;

/** What the server knows about one key of config.yml. */
sealed interface KeySpec {

  /** A mapping whose own keys are all listed; any other key is an error. */
  record Section(Map<String, KeySpec> children) implements KeySpec {
    public Section {
      children = Map.copyOf(children);
    }
  }

  /** A value the server reads. */
  record Value(ValueKind kind) implements KeySpec {}

  /** A distribution key accepted so its config files work unchanged, with no effect here; {@code reason} says why. */
  record Ignored(String reason) implements KeySpec {}

  /** A distribution key whose feature Berth lacks; using it is an error, since silently dropping it would mislead. */
  record Unsupported(String reason) implements KeySpec {}
}
