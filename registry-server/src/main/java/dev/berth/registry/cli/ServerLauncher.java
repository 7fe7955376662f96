package dev.berth.registry.cli;

import dev.berth.registry.config.RegistryConfig;

/** Starts a server for a loaded configuration; Main wires the real one, tests a fake. */
@FunctionalInterface
public interface ServerLauncher {
  RunningServer launch(RegistryConfig config);
}
