package dev.berth.operator.status;

/** Condition types the operator reports; later capabilities add their own (TLSReady, AuthReady, NodesConfigured). */
public final class ConditionType {
  public static final String READY = "Ready";
  public static final String STORAGE_READY = "StorageReady";
  public static final String TLS_READY = "TLSReady";
  public static final String NODES_CONFIGURED = "NodesConfigured";
  public static final String AUTH_READY = "AuthReady";
  public static final String UPSTREAMS_REACHABLE = "UpstreamsReachable";
  /** Whether the ServiceMonitor and PrometheusRule of spec.metrics.serviceMonitor could be made. */
  public static final String MONITORING_READY = "MonitoringReady";

  private ConditionType() {}
}
