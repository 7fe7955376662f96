package dev.berth.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Prometheus' own checker ({@code promtool check metrics}, Debian package prometheus): parses an exposition as the
 * Prometheus server would and lints its names (counters end in _total, units are base units, ...); also checks rule
 * files ({@code check rules}) and runs rule unit tests ({@code test rules}).
 */
public final class Promtool {
  private final ExternalTool tool;

  private Promtool(ExternalTool tool) {
    this.tool = tool;
  }

  /** promtool from PATH, or a CI failure / local skip (see {@link CiSkipRule}). */
  public static Promtool require() {
    return new Promtool(ExternalTool.require("promtool", "prometheus"));
  }

  /** Runs {@code promtool check metrics} on {@code exposition} (written to a file in {@code tmp}, its stdin). */
  public ProcessResult checkMetrics(String exposition, Path tmp) {
    try {
      Path file = Files.writeString(Files.createTempFile(tmp, "scrape-", ".txt"), exposition, StandardCharsets.UTF_8);
      return BoundedCommand.run(List.of(tool.path().toString(), "check", "metrics"), Duration.ofSeconds(30), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code promtool check rules} on a rule file's text: parses every expression and template as Prometheus. */
  public ProcessResult checkRules(String rules, Path tmp) {
    try {
      Path file = Files.writeString(Files.createTempFile(tmp, "rules-", ".yaml"), rules, StandardCharsets.UTF_8);
      return BoundedCommand.run(List.of(tool.path().toString(), "check", "rules", file.toString()),
          Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code promtool test rules}: {@code tests} is a unit-test file whose {@code rule_files} name
   * {@code rules.yaml}, written next to it with {@code rules}.
   */
  public ProcessResult testRules(String rules, String tests, Path tmp) {
    try {
      Path dir = Files.createTempDirectory(tmp, "rule-test-");
      Files.writeString(dir.resolve("rules.yaml"), rules, StandardCharsets.UTF_8);
      Path file = Files.writeString(dir.resolve("tests.yaml"), tests, StandardCharsets.UTF_8);
      return BoundedCommand.run(List.of(tool.path().toString(), "test", "rules", file.toString()),
          Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
