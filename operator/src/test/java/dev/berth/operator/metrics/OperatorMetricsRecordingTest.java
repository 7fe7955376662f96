package dev.berth.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.testsupport.PrometheusText;
import io.javaoperatorsdk.operator.api.monitoring.Metrics.ControllerExecution;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each JOSDK callback moves its metric; a failed execution is timed with result=failure and its error passes on. */
class OperatorMetricsRecordingTest {
  final OperatorMetrics metrics = new OperatorMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void executionsAreTimedByResult() throws Exception {
    assertThat(metrics.timeControllerExecution(execution("reconcile", () -> "done"))).isEqualTo("done");
    assertThatThrownBy(() -> metrics.timeControllerExecution(execution("cleanup", () -> {
      throw new IllegalStateException("boom");
    }))).hasMessage("boom");
    metrics.failedReconciliation(null, new RuntimeException(new IllegalStateException("boom")), Map.of());
    PrometheusText text = PrometheusText.parse(metrics.scrape());

    assertThat(text.value("operator_sdk_controllers_execution_seconds_count",
        "controller", "registry", "execution", "reconcile", "result", "success")).contains(1.0);
    assertThat(text.value("operator_sdk_controllers_execution_seconds_count",
        "controller", "registry", "execution", "cleanup", "result", "failure")).contains(1.0);
    assertThat(text.value("operator_sdk_reconciliations_failed_total", "exception", "IllegalStateException"))
        .contains(1.0);
  }

  interface Body<T> {
    T run() throws Exception;
  }

  private static <T> ControllerExecution<T> execution(String name, Body<T> body) {
    return new ControllerExecution<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String controllerName() {
        return "registry";
      }

      @Override
      public String successTypeName(T result) {
        return "success";
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("main", "registry");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public T execute() throws Exception {
        return body.run();
      }
    };
  }
}
