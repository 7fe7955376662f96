package dev.berth.operator.dependent;

import dev.berth.operator.observe.MonitoringApis;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Prometheus Operator ServiceMonitor with its spec kept as plain maps: the operator needs no model of that project's
 * types, and the type's annotations name the API path, so no discovery is asked (a cluster without the CRD has
 * nothing to discover, and JOSDK builds the informer even for a dependent it leaves inactive).
 */
@Group(MonitoringApis.GROUP)
@Version(MonitoringApis.VERSION)
@Kind("ServiceMonitor")
@Plural("servicemonitors")
public class ServiceMonitorResource extends GenericKubernetesResource implements Namespaced {
  public ServiceMonitorResource() {
    setApiVersion(MonitoringApis.GROUP + "/" + MonitoringApis.VERSION);
    setKind("ServiceMonitor");
  }
}
