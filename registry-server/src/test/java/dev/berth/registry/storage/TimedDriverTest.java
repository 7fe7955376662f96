package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.metrics.PrometheusMetrics;
import dev.berth.registry.testsupport.MutableClock;
import dev.berth.registry.testsupport.PrometheusText;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Driver calls are timed by action, and the ones that fail are counted apart from the ones that find nothing. */
class TimedDriverTest {
  @TempDir Path root;

  @Test
  void failedCallsCountAsErrorsAndMissingFilesDoNot() throws Exception {
    PrometheusMetrics metrics = new PrometheusMetrics(new MutableClock(Instant.parse("2026-12-04T10:00:00Z")));
    TimedDriver driver = new TimedDriver(FilesystemDriver.LOCAL, "filesystem");
    driver.measure(metrics);
    Path notADirectory = Files.writeString(root.resolve("plain-file"), "x");

    assertThat(driver.size(root.resolve("missing"))).isEmpty();
    assertThat(driver.read(root.resolve("missing"), 100)).isEmpty();
    driver.write(root.resolve("link"), "sha256:abc".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> driver.write(notADirectory.resolve("link"), new byte[] {1}))
        .isInstanceOf(UncheckedIOException.class);

    PrometheusText text = PrometheusText.parse(metrics.scrape());
    assertThat(text.value("registry_storage_action_errors_total", "driver", "filesystem", "action", "PutContent"))
        .contains(1.0);
    assertThat(text.valueOrZero("registry_storage_action_errors_total", "driver", "filesystem", "action", "Stat"))
        .as("a missing file is an answer").isZero();
    assertThat(text.valueOrZero("registry_storage_action_errors_total", "driver", "filesystem", "action",
        "GetContent")).isZero();
    assertThat(text.value("registry_storage_action_seconds_count", "driver", "filesystem", "action", "PutContent"))
        .as("the failed call is timed too").contains(2.0);
  }
}
