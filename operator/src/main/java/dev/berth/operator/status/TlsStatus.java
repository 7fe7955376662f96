package dev.berth.operator.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The serving certificate as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsStatus {

  @JsonPropertyDescription("Secret whose ca.crt clients and nodes should trust.")
  private String caSecret;

  @JsonPropertyDescription("When the serving certificate expires (RFC 3339).")
  private String notAfter;

  public TlsStatus() {}

  public TlsStatus(String caSecret, String notAfter) {
    this.caSecret = caSecret;
    this.notAfter = notAfter;
  }

  public String getCaSecret() {
    return caSecret;
  }

  public void setCaSecret(String caSecret) {
    this.caSecret = caSecret;
  }

  public String getNotAfter() {
    return notAfter;
  }

  public void setNotAfter(String notAfter) {
    this.notAfter = notAfter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsStatus t && Objects.equals(caSecret, t.caSecret) && Objects.equals(notAfter, t.notAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caSecret, notAfter);
  }
}
