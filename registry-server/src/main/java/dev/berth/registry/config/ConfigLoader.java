package dev.berth.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.registry.config.KeySpec.Value;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link RegistryConfig} from a distribution-shaped config.yml, {@code REGISTRY_*} environment variables
 * and command-line flags; later sources win: flags over environment over file over {@link ConfigDefaults}. Every
 * problem is a {@link ConfigException} naming the key. The environment is passed in, so tests never touch the real one.
 */
public final class ConfigLoader {
  private final Map<String, String> env;
  private final ConfigDefaults defaults;

  public ConfigLoader(Map<String, String> env, ConfigDefaults defaults) {
    this.env = Map.copyOf(env);
    this.defaults = defaults;
  }

  /**
   * Loads the configuration. {@code configFile} may be null: then {@code REGISTRY_CONFIGURATION_PATH} names the file
   * as in distribution, else the defaults' implicit file is read when it exists, else there is no file.
   */
  public LoadedConfig load(Path configFile, List<FlagOverride> flags) {
    List<String> warnings = new ArrayList<>();
    Optional<Path> file = chooseFile(configFile);
    ConfigTree tree = file.map(ConfigLoader::read).orElseGet(ConfigTree::empty);
    try {
      KeyChecker.check(tree.root(), warnings);
    } catch (ConfigException e) {
      throw new ConfigException(file.get() + ": " + e.getMessage(), e);
    }
    EnvOverrides.apply(env, tree, warnings);
    flags.forEach(flag -> applyFlag(tree, flag));
    VersionCheck.check(tree);
    RegistryConfig config = new RegistryConfig(
        LogSection.read(tree),
        HttpSection.read(tree),
        StorageSection.read(tree, defaults.rootDirectory()),
        AuthSection.read(tree),
        GcSection.read(tree),
        ProxySection.read(tree),
        NotificationsSection.read(tree),
        new RegistryConfig.Ui(tree.bool("ui.enabled").orElse(RegistryConfig.Ui.DISABLED.enabled())));
    return new LoadedConfig(config, file, warnings);
  }

  private Optional<Path> chooseFile(Path explicit) {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    String fromEnv = env.getOrDefault(EnvOverrides.CONFIGURATION_PATH, "").strip();
    if (!fromEnv.isEmpty()) {
      return Optional.of(Path.of(fromEnv));
    }
    return defaults.implicitConfigFile().filter(Files::isRegularFile);
  }

  private static ConfigTree read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file '" + file + "' does not exist");
    } catch (CharacterCodingException e) {
      throw new ConfigException("config file '" + file + "' is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file '" + file + "': " + e.getMessage(), e);
    }
    JsonNode root = ConfigYaml.parse(text, file.toString());
    if (root.isNull()) {
      return ConfigTree.empty();
    }
    if (!(root instanceof ObjectNode object)) {
      throw new ConfigException(file + ": expected a mapping of keys at the top level, found " + ConfigTree.describe(root));
    }
    return new ConfigTree(object);
  }

  private static void applyFlag(ConfigTree tree, FlagOverride flag) {
    List<String> path = Arrays.asList(flag.key().split("\\."));
    if (!(ConfigSchema.lookup(path) instanceof Value value) || !value.kind().isScalar()) {
      throw new IllegalArgumentException("flag " + flag.flag() + " maps to '" + flag.key() + "', which is no scalar key");
    }
    tree.set(path, TextNode.valueOf(flag.value()), flag.flag());
  }
}
