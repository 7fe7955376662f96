package dev.berth.registry.oci;

import java.util.Locale;

/** The manifest media types a registry meets, and how to compare a Content-Type header against them. */
public final class ManifestMediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** Docker schema 1, which distribution 2.8 no longer accepts on push either. */
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

  private ManifestMediaTypes() {}

  /** The media type without parameters, lower-cased: {@code "A/B+json; charset=utf-8"} gives {@code "a/b+json"}. */
  public static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return base.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean isSchema1(String contentType) {
    String base = baseType(contentType);
    return base.equals(DOCKER_SCHEMA1) || base.equals(DOCKER_SCHEMA1_SIGNED);
  }
}
