package dev.berth.registry.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A temp directory to write config files into, and a loader whose default root lies inside it. */
final class ConfigFixture {
  final Path dir;

  ConfigFixture(Path dir) {
    this.dir = dir;
  }

  ConfigDefaults defaults() {
    return new ConfigDefaults(dir.resolve("default-root"), Optional.empty());
  }

  Path write(String name, String yaml) {
    try {
      return Files.writeString(dir.resolve(name), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file that exists, for keys that must name a readable file (certificates, htpasswd). */
  Path file(String name) {
    return write(name, "content of " + name + "\n");
  }

  String resource(String name) {
    try (InputStream in = ConfigFixture.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LoadedConfig load(String yaml) {
    return load(yaml, Map.of());
  }

  LoadedConfig load(String yaml, Map<String, String> env, FlagOverride... flags) {
    Path file = yaml == null ? null : write("config.yml", yaml);
    return new ConfigLoader(env, defaults()).load(file, List.of(flags));
  }
}
