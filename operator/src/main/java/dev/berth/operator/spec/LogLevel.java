package dev.berth.operator.spec;

/** The server's log levels, spelled as its config file spells them. */
public enum LogLevel {
  error,
  warn,
  info,
  debug
}
