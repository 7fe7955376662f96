package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Prometheus metrics of the registry pods: the server's debug listener on port 5001 (as registry:2), and on request a
 * ServiceMonitor and a PrometheusRule for the Prometheus Operator (docs/day-two.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.serviceMonitor) || !self.serviceMonitor || !has(self.enabled) || self.enabled",
    message = MetricsSpec.SERVICE_MONITOR_NEEDS_METRICS,
    fieldPath = ".serviceMonitor")
public class MetricsSpec {
  public static final String SERVICE_MONITOR_NEEDS_METRICS = "metrics.serviceMonitor needs metrics.enabled: with"
      + " metrics off no pod serves /metrics for Prometheus to scrape";

  @JsonPropertyDescription("Serve Prometheus metrics at /metrics on the debug listener, port 5001 of every pod (the"
      + " port named metrics on the pods and on the client Service). The listener serves nothing else. Default true.")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("Also make a ServiceMonitor scraping the metrics port and a PrometheusRule with the"
      + " registry's alerts (monitoring.coreos.com/v1; only where the Prometheus Operator's CRDs are installed,"
      + " otherwise the condition MonitoringReady says so). Needs enabled. Default false.")
  @Default("false")
  private Boolean serviceMonitor = false;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getServiceMonitor() {
    return serviceMonitor;
  }

  public void setServiceMonitor(Boolean serviceMonitor) {
    this.serviceMonitor = serviceMonitor;
  }

  public boolean enabledOrDefault() {
    return enabled == null || enabled;
  }

  public boolean serviceMonitorOrDefault() {
    return serviceMonitor != null && serviceMonitor;
  }
}
