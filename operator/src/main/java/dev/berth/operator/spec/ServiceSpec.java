package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The client Service in front of the registry pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.nodePort) || (has(self.type) && self.type != 'ClusterIP')",
    message = "service.nodePort needs service.type NodePort or LoadBalancer",
    fieldPath = ".nodePort")
public class ServiceSpec {
  public static final int DEFAULT_PORT = 5000;

  @JsonPropertyDescription("Service type: ClusterIP (default), NodePort or LoadBalancer.")
  @Default("ClusterIP")
  private ServiceType type = ServiceType.ClusterIP;

  @JsonPropertyDescription("Port the Service listens on; the registry container always listens on 5000.")
  @Default("5000")
  @Min(1)
  @Max(65535)
  private Integer port = DEFAULT_PORT;

  @JsonPropertyDescription("Fixed node port for NodePort and LoadBalancer Services. Empty: Kubernetes picks one.")
  @Min(30000)
  @Max(32767)
  private Integer nodePort;

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getNodePort() {
    return nodePort;
  }

  public void setNodePort(Integer nodePort) {
    this.nodePort = nodePort;
  }

  public ServiceType typeOrDefault() {
    return type == null ? ServiceType.ClusterIP : type;
  }

  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }
}
