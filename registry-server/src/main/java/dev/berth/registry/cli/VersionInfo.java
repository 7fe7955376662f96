package dev.berth.registry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven recorded in the jar; running from classes (tests, IDE) it says so instead. */
public final class VersionInfo implements IVersionProvider {
  private static final String POM_PROPERTIES = "/META-INF/maven/dev.berth/registry-server/pom.properties";

  public static String version() {
    try (InputStream in = VersionInfo.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through: a version string is not worth failing over
    }
    return "development build";
  }

  @Override
  public String[] getVersion() {
    return new String[] {
        "registry-server " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
  }
}
