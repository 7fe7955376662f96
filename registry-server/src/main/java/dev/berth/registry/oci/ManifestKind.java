package dev.berth.registry.oci;

import java.util.Arrays;
import java.util.Optional;

/** The four manifest formats a registry stores and validates; artifacts are OCI image manifests with artifactType. */
public enum ManifestKind {
  OCI_MANIFEST(ManifestMediaTypes.OCI_MANIFEST, false),
  OCI_INDEX(ManifestMediaTypes.OCI_INDEX, true),
  DOCKER_MANIFEST(ManifestMediaTypes.DOCKER_MANIFEST, false),
  DOCKER_MANIFEST_LIST(ManifestMediaTypes.DOCKER_MANIFEST_LIST, true);

  private final String mediaType;
  private final boolean index;

  ManifestKind(String mediaType, boolean index) {
    this.mediaType = mediaType;
    this.index = index;
  }

  public String mediaType() {
    return mediaType;
  }

  /** True for formats that list child manifests (OCI index, Docker manifest list) rather than a config and layers. */
  public boolean isIndex() {
    return index;
  }

  /** The kind a Content-Type (parameters allowed) or a {@code mediaType} field names, if it names one. */
  public static Optional<ManifestKind> ofMediaType(String mediaType) {
    String base = ManifestMediaTypes.baseType(mediaType);
    return Arrays.stream(values()).filter(kind -> kind.mediaType.equals(base)).findFirst();
  }
}
