package dev.berth.registry.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.opentest4j.AssertionFailedError;

/**
 * Reads the samples of a Prometheus text exposition (format 0.0.4) for assertions: each sample by metric name and
 * label set, and each metric's declared type. {@link Promtool} checks the syntax; this only looks values up, and fails
 * on a line it cannot read rather than skipping it.
 */
public final class PrometheusText {
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new LinkedHashMap<>();

  private PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
  }

  public static PrometheusText parse(String text) {
    return new PrometheusText(text);
  }

  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The declared type ({@code counter}, {@code gauge}, {@code histogram}...) of a metric family. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** The value of the sample with exactly these labels ({@code "handler", "blob", "method", "get"}), if present. */
  public Optional<Double> value(String name, String... labelPairs) {
    Map<String, String> wanted = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      wanted.put(labelPairs[i], labelPairs[i + 1]);
    }
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).map(Sample::value)
        .findFirst();
  }

  /** As {@link #value}, 0 when the sample is absent (a labelled counter appears at its first increment). */
  public double valueOrZero(String name, String... labelPairs) {
    return value(name, labelPairs).orElse(0.0);
  }

  /** The samples named {@code name}, whatever their labels. */
  public List<Sample> all(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    if (space < 0) {
      throw new AssertionFailedError("not a sample line: " + line);
    }
    Map<String, String> labels = new TreeMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      readLabels(line.substring(brace + 1, close), labels, line);
    } else {
      name = line.substring(0, space);
    }
    return new Sample(name, labels, parseValue(line.substring(space + 1), line));
  }

  /** {@code a="x",b="y"}, with the format's escapes (backslash, quote, newline) in values. */
  private static void readLabels(String body, Map<String, String> labels, String line) {
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf("=\"", i);
      if (eq < 0) {
        throw new AssertionFailedError("bad labels in: " + line);
      }
      String key = body.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < body.length() && body.charAt(j) != '"'; j++) {
        char c = body.charAt(j);
        if (c == '\\' && j + 1 < body.length()) {
          char next = body.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < body.length() && body.charAt(i) == ',') {
        i++;
      }
    }
  }

  private static double parseValue(String text, String line) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionFailedError("bad sample value in: " + line);
        }
      }
    };
  }
}
