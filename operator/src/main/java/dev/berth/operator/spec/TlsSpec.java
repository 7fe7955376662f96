package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** HTTPS for the registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'Secret' || (has(self.secretName) && size(self.secretName) > 0)",
    message = "tls.mode Secret needs tls.secretName (a kubernetes.io/tls Secret with tls.crt and tls.key)",
    fieldPath = ".secretName")
public class TlsSpec {

  @JsonPropertyDescription("Disabled (default): plain HTTP. SelfSigned: the operator makes a CA (Secret <name>-ca) and a"
      + " serving certificate (Secret <name>-tls) for the Service's DNS names, its ClusterIP, localhost and"
      + " extraHostnames, and renews it 30 days before expiry. Secret: serve the certificate in tls.secretName.")
  @Default("Disabled")
  private TlsMode mode = TlsMode.Disabled;

  @JsonPropertyDescription("For mode Secret: a kubernetes.io/tls Secret in the Registry's namespace with tls.crt and"
      + " tls.key (ca.crt optional), e.g. one cert-manager keeps current; the server reloads it when it changes.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String secretName;

  @JsonPropertyDescription("For mode SelfSigned: more DNS names or IP addresses for the certificate, e.g. the name a"
      + " LoadBalancer or Ingress is reached by.")
  @Size(max = 32)
  private List<String> extraHostnames;

  public TlsMode getMode() {
    return mode;
  }

  public void setMode(TlsMode mode) {
    this.mode = mode;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public List<String> getExtraHostnames() {
    return extraHostnames;
  }

  public void setExtraHostnames(List<String> extraHostnames) {
    this.extraHostnames = extraHostnames;
  }

  public TlsMode modeOrDefault() {
    return mode == null ? TlsMode.Disabled : mode;
  }

  public boolean enabled() {
    return modeOrDefault() != TlsMode.Disabled;
  }

  public List<String> extraHostnamesOrEmpty() {
    return extraHostnames == null ? List.of() : extraHostnames;
  }
}
