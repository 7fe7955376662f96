package dev.berth.operator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts fixed when the operator was built (a Maven-filtered resource), so the operator knows which registry-server
 * image belongs to it without being told.
 *
 * @param version the project version
 * @param registryImageRepository e.g. ghcr.io/berth-dev/registry-server
 * @param operatorImageRepository e.g. ghcr.io/berth-dev/operator (the node agent runs this image too)
 */
public record BuildInfo(String version, String registryImageRepository, String operatorImageRepository) {
  private static final String RESOURCE = "/dev/berth/operator/build.properties";

  public static BuildInfo load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + RESOURCE + " on the class path: the operator jar is incomplete");
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version", "");
      String image = p.getProperty("registry.image", "");
      String operatorImage = p.getProperty("operator.image", "");
      for (String value : new String[] {version, image, operatorImage}) {
        if (value.isBlank() || value.contains("${")) {
          throw new IllegalStateException(RESOURCE + " was not filtered at build time: " + p);
        }
      }
      return new BuildInfo(version, image, operatorImage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The registry-server image built together with this operator. */
  public String defaultRegistryImage() {
    return registryImageRepository + ":" + version;
  }

  /** The operator image of this version, which also runs the node agent ({@code operator.jar node-agent}). */
  public String defaultOperatorImage() {
    return operatorImageRepository + ":" + version;
  }
}
