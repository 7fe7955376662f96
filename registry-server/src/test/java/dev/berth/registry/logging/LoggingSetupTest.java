package dev.berth.registry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.registry.config.RegistryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreTheTestLoggingConfiguration() throws Exception {
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private ListAppender<ILoggingEvent> capture(String logger) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(logger).addAppender(appender);
    return appender;
  }

  @Test
  void logLevelAppliesToTheRootLogger() {
    LoggingSetup.apply(new RegistryConfig.Log("warn", true, Map.of()));
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
    assertThat(LoggerFactory.getLogger("dev.berth.registry.http.RegistryServer").isInfoEnabled()).isFalse();

    LoggingSetup.apply(new RegistryConfig.Log("debug", true, Map.of()));
    assertThat(LoggerFactory.getLogger("dev.berth.registry.http.RegistryServer").isDebugEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.netty.buffer.PooledByteBufAllocator").isDebugEnabled()).isFalse();
  }

  @Test
  void theAccessLogIsWrittenAtAnyLogLevelUntilDisabled() {
    LoggingSetup.apply(new RegistryConfig.Log("error", true, Map.of("service", "registry")));
    ListAppender<ILoggingEvent> lines = capture(AccessLog.LOGGER_NAME);
    AccessLog accessLog = new AccessLog(new RegistryConfig.Log("error", true, Map.of("service", "registry")));

    accessLog.record(new AccessLogLine(Instant.EPOCH, "GET", "/v2/", 200, 2, Duration.ofNanos(1_250_000), "127.0.0.1", "", "curl/8"));

    assertThat(accessLog.enabled()).isTrue();
    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "service=registry time=1970-01-01T00:00:00Z method=GET path=/v2/ status=200 bytes=2 duration_ms=1.250 "
            + "client=127.0.0.1 user=\"\" user_agent=curl/8");
  }

  @Test
  void theAccessLogIsSeparateFromTheApplicationLog() {
    LoggingSetup.apply(new RegistryConfig.Log("info", true, Map.of()));
    ListAppender<ILoggingEvent> root = capture(Logger.ROOT_LOGGER_NAME);

    new AccessLog(new RegistryConfig.Log("info", true, Map.of()))
        .record(new AccessLogLine(Instant.EPOCH, "GET", "/v2/", 200, 2, Duration.ofNanos(1_250_000), "127.0.0.1", "", "curl/8"));

    assertThat(root.list).isEmpty();
  }

  @Test
  void disabledAccessLogWritesNothing() {
    RegistryConfig.Log config = new RegistryConfig.Log("debug", false, Map.of());
    LoggingSetup.apply(config);
    ListAppender<ILoggingEvent> lines = capture(AccessLog.LOGGER_NAME);
    AccessLog accessLog = new AccessLog(config);

    accessLog.record(new AccessLogLine(Instant.EPOCH, "GET", "/v2/", 200, 2, Duration.ofNanos(1_250_000), "127.0.0.1", "", "curl/8"));
    // Also lines other code writes straight to the access logger (the switch is the logger's level).
    LoggerFactory.getLogger(AccessLog.LOGGER_NAME).info("method=GET");

    assertThat(accessLog.enabled()).isFalse();
    assertThat(lines.list).isEmpty();
  }
}
