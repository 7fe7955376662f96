package dev.berth.registry.config;

/** The shape of a configuration value, which decides how an environment variable's text becomes that value. */
enum ValueKind {
  STRING,
  INT,
  BOOL,
  /** A list of strings; a single string counts as a list of one. */
  STRING_LIST,
  /** A map of string values ({@code log.fields}). */
  STRING_MAP,
  /** HTTP header name to a list of values ({@code http.headers}). */
  HEADER_MAP,
  /** The list of {@code auth.access} rules. */
  ACCESS_RULES,
  /** The list of {@code gc.retention.policies}. */
  RETENTION_POLICIES,
  /** The list of {@code proxy.upstreams} entries. */
  PROXY_UPSTREAMS,
  /** The list of {@code notifications.endpoints} entries. */
  NOTIFICATION_ENDPOINTS;

  /** Maps can also be overridden one entry at a time ({@code REGISTRY_LOG_FIELDS_SERVICE=x}). */
  boolean isMap() {
    return this == STRING_MAP || this == HEADER_MAP;
  }

  /** Scalars take an environment value as plain text; structured values take YAML ({@code [a, b]}, {@code {k: v}}). */
  boolean isScalar() {
    return this == STRING || this == INT || this == BOOL;
  }
}
