package dev.berth.registry.config;

/** distribution refuses files of another format version; so does Berth. The key itself is optional here. */
final class VersionCheck {
  static final String SUPPORTED = "0.1";

  private VersionCheck() {}

  static void check(ConfigTree tree) {
    tree.string("version").map(String::strip).ifPresent(version -> {
      if (!version.equals(SUPPORTED)) {
        throw tree.error("version", "'" + version + "' is not supported; Berth reads config files of version " + SUPPORTED);
      }
    });
  }
}
