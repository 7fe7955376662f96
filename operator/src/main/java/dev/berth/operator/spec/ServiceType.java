package dev.berth.operator.spec;

/** Kubernetes Service types the registry can be exposed with. */
public enum ServiceType {
  ClusterIP,
  NodePort,
  LoadBalancer
}
