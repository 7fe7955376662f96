package dev.berth.registry.testsupport;

/** The OCI media types the generated images use. */
public final class OciMediaTypes {
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** The annotation an OCI layout's index.json uses to name a tag. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private OciMediaTypes() {}
}
