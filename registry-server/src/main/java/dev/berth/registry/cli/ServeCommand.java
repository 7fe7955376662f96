package dev.berth.registry.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code serve [CONFIG.yml]}, as distribution's {@code registry serve config.yml}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
        "Serves the registry with a distribution-shaped config file.",
        "Without CONFIG.yml: REGISTRY_CONFIGURATION_PATH, else the defaults."})
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  RegistryServerCommand parent;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yml", description = "The config file.")
  Path configFile;

  @Mixin
  OverrideOptions overrides = new OverrideOptions();

  @Override
  public Integer call() {
    return parent.serve(configFile, overrides.overrides());
  }
}
