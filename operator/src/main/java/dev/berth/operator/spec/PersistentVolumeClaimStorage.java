package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The StatefulSet's volumeClaimTemplate for the registry data. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistentVolumeClaimStorage {
  public static final String DEFAULT_SIZE = "10Gi";

  @JsonPropertyDescription("Requested size, a Kubernetes quantity such as 10Gi. Growing it expands the existing claims"
      + " where the StorageClass allows volume expansion; claims never shrink.")
  @Default(DEFAULT_SIZE)
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  private String size = DEFAULT_SIZE;

  @JsonPropertyDescription("StorageClass of the claims. Empty: the cluster's default StorageClass.")
  private String storageClassName;

  @JsonPropertyDescription("Access modes of the claims. Default: [ReadWriteOnce].")
  @Size(min = 1, max = 3)
  private List<AccessMode> accessModes;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public List<AccessMode> getAccessModes() {
    return accessModes;
  }

  public void setAccessModes(List<AccessMode> accessModes) {
    this.accessModes = accessModes;
  }

  public String sizeOrDefault() {
    return size == null || size.isBlank() ? DEFAULT_SIZE : size;
  }

  public List<String> accessModesOrDefault() {
    List<String> modes = new ArrayList<>();
    if (accessModes == null || accessModes.isEmpty()) {
      modes.add(AccessMode.ReadWriteOnce.name());
    } else {
      accessModes.forEach(m -> modes.add(m.name()));
    }
    return modes;
  }

  public boolean hasStorageClass() {
    return storageClassName != null && !storageClassName.isBlank();
  }
}
