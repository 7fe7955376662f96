package dev.berth.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Objects;

/**
 * Whether a Service has exactly the ports the operator wants. JOSDK's default matcher takes a port the cluster has
 * and the operator no longer wants for a field the API server added, so a removed port (metrics turned off) would
 * stay; this compares the operator's fields of every port (the server's additions, such as nodePort, are ignored
 * where the desired port leaves them unset).
 */
final class ServicePortsMatch {
  private ServicePortsMatch() {}

  static boolean samePorts(Service actual, Service desired) {
    List<ServicePort> have = actual.getSpec() == null ? List.of() : actual.getSpec().getPorts();
    List<ServicePort> want = desired.getSpec().getPorts();
    if (have == null || have.size() != want.size()) {
      return false;
    }
    for (int i = 0; i < want.size(); i++) {
      ServicePort h = have.get(i);
      ServicePort w = want.get(i);
      if (!Objects.equals(h.getName(), w.getName()) || !Objects.equals(h.getPort(), w.getPort())
          || !Objects.equals(h.getTargetPort(), w.getTargetPort())
          || (w.getNodePort() != null && !Objects.equals(h.getNodePort(), w.getNodePort()))) {
        return false;
      }
    }
    return true;
  }
}
