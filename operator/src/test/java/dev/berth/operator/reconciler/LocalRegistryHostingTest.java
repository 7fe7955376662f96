package dev.berth.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.operator.OperatorTestSupport;
import dev.berth.operator.spec.NodeAccessSpec;
import dev.berth.operator.spec.NodeLocalSpec;
import dev.berth.operator.spec.RegistrySpec;
import dev.berth.operator.spec.ServiceSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRegistryHostingTest {

  @Test
  void theNodeLocalEndpointIsWhatRuntimesUse() throws Exception {
    NodeLocalSpec nodeLocal = new NodeLocalSpec();
    nodeLocal.setEnabled(true);
    nodeLocal.setPort(5001);
    NodeAccessSpec access = new NodeAccessSpec();
    access.setNodeLocal(nodeLocal);
    ServiceSpec service = new ServiceSpec();
    service.setPort(80);
    RegistrySpec spec = new RegistrySpec();
    spec.setNodeAccess(access);
    spec.setService(service);
    Map<String, Object> hosting = new ObjectMapper(new YAMLFactory()).readValue(
        LocalRegistryHosting.render(OperatorTestSupport.registry("ci", "cache", spec)),
        new TypeReference<Map<String, Object>>() {});
    assertThat(hosting).containsExactly(
        Map.entry("host", "cache.ci.svc.cluster.local:80"),
        Map.entry("hostFromContainerRuntime", "localhost:5001"),
        Map.entry("hostFromClusterNetwork", "cache.ci.svc.cluster.local:80"),
        Map.entry("help", LocalRegistryHosting.HELP));
  }
}
