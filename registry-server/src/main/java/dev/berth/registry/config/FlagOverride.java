package dev.berth.registry.config;

/**
 * One key set on the command line: the dotted key path ({@code http.addr}), its value as text, and the flag that set
 * it ({@code --addr}), which error messages name.
 */
public record FlagOverride(String key, String value, String flag) {}
