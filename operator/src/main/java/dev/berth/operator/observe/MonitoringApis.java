package dev.berth.operator.observe;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the Prometheus Operator's CRDs the cluster has: the ServiceMonitor and PrometheusRule the operator makes
 * for spec.metrics.serviceMonitor exist only where both do.
 *
 * @param serviceMonitors whether servicemonitors.monitoring.coreos.com is installed
 * @param prometheusRules whether prometheusrules.monitoring.coreos.com is installed
 */
public record MonitoringApis(boolean serviceMonitors, boolean prometheusRules) {
  public static final String GROUP = "monitoring.coreos.com";
  public static final String VERSION = "v1";
  public static final String SERVICE_MONITORS_CRD = "servicemonitors." + GROUP;
  public static final String PROMETHEUS_RULES_CRD = "prometheusrules." + GROUP;

  /** Asks the API server for both CRDs by name (the operator may read these two and no other). */
  public static MonitoringApis read(KubernetesClient client) {
    return new MonitoringApis(exists(client, SERVICE_MONITORS_CRD), exists(client, PROMETHEUS_RULES_CRD));
  }

  private static boolean exists(KubernetesClient client, String name) {
    return client.resources(CustomResourceDefinition.class).withName(name).get() != null;
  }

  public boolean present() {
    return serviceMonitors && prometheusRules;
  }

  /** The CRDs that are not installed, by name. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!serviceMonitors) {
      missing.add(SERVICE_MONITORS_CRD);
    }
    if (!prometheusRules) {
      missing.add(PROMETHEUS_RULES_CRD);
    }
    return missing;
  }
}
