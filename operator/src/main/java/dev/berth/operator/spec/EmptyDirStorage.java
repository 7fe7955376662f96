package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Pod-lifetime storage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EmptyDirStorage {

  @JsonPropertyDescription("Upper bound of the emptyDir, a Kubernetes quantity such as 5Gi. Empty: no limit.")
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  private String sizeLimit;

  public String getSizeLimit() {
    return sizeLimit;
  }

  public void setSizeLimit(String sizeLimit) {
    this.sizeLimit = sizeLimit;
  }
}
