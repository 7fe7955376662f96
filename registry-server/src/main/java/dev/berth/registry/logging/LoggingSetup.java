package dev.berth.registry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.berth.registry.config.RegistryConfig;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback in code for the server process: application lines on stdout at {@code log.level}, and the access
 * log on stdout as bare logfmt lines at its own switch. In code rather than a logback.xml so the registry-server jar,
 * which the operator's tests also put on their classpath, imposes no logging configuration on anyone else.
 */
public final class LoggingSetup {
  static final String APPLICATION_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{36} - %msg%n";

  private LoggingSetup() {}

  /** Applies {@code log}; safe to call again (e.g. first with defaults, then with the loaded configuration). */
  public static void apply(RegistryConfig.Log log) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend is in charge; respect its configuration
    }
    context.reset();
    Level level = Level.toLevel(log.level(), Level.INFO);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console(context, "application", APPLICATION_PATTERN));

    // The access log is not subject to log.level: distribution writes it at any level unless disabled.
    Logger access = context.getLogger(AccessLog.LOGGER_NAME);
    access.setAdditive(false);
    access.setLevel(log.accessLog() ? Level.INFO : Level.OFF);
    access.addAppender(console(context, "access", "%msg%n"));

    // Netty's own debug output (buffer pools, native transports) drowns Berth's; debug shows Berth's lines only.
    context.getLogger("io.netty").setLevel(level == Level.DEBUG ? Level.INFO : null);
  }

  private static ConsoleAppender<ILoggingEvent> console(
      LoggerContext context, String name, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
