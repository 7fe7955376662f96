package dev.berth.registry.cli;

import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.config.FlagOverride;
import dev.berth.registry.config.LoadedConfig;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.logging.LoggingSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code registry-server}: with no subcommand it serves on the defaults (like {@code registry serve} without a file);
 * {@code serve CONFIG.yml} reads a file; {@code garbage-collect CONFIG.yml} collects garbage, also while a server runs.
 */
@Command(
    name = "registry-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    subcommands = {ServeCommand.class, GarbageCollectCommand.class},
    description = {
        "An OCI Distribution registry, a drop-in for registry:2.",
        "Without a subcommand it serves 0.0.0.0:5000 and stores under ./data",
        "(in the container image: /var/lib/registry, reading /etc/berth/config.yaml when mounted).",
        "Precedence: flags > REGISTRY_* environment variables > config file > defaults."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped normally, or help/version shown",
        "1:the server failed to start or crashed",
        "2:bad command line or configuration"})
public final class RegistryServerCommand implements Callable<Integer> {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_BAD_CONFIG = 2;
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServerCommand.class);

  private final Map<String, String> env;
  private final ServerLauncher launcher;
  private final ShutdownWaiter waiter;

  @Mixin
  OverrideOptions overrides = new OverrideOptions();

  @Spec
  CommandSpec spec;

  public RegistryServerCommand(Map<String, String> env, ServerLauncher launcher, ShutdownWaiter waiter) {
    this.env = Map.copyOf(env);
    this.launcher = launcher;
    this.waiter = waiter;
  }

  /** The command line with one-line error reporting instead of stack traces. */
  public static CommandLine commandLine(Map<String, String> env, ServerLauncher launcher, ShutdownWaiter waiter) {
    CommandLine commandLine = new CommandLine(new RegistryServerCommand(env, launcher, waiter));
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("registry-server: unexpected error: " + e);
      LOG.debug("unexpected error", e);
      return EXIT_FAILURE;
    });
    return commandLine;
  }

  @Override
  public Integer call() {
    return serve(null, List.of());
  }

  /**
   * Loads the configuration, starts the server and serves until shutdown; returns the exit code. Flags given after
   * the subcommand are applied after (so win over) those given before it.
   */
  int serve(Path configFile, List<FlagOverride> subcommandFlags) {
    LoadedConfig loaded = load(configFile, subcommandFlags);
    if (loaded == null) {
      return EXIT_BAD_CONFIG;
    }
    RunningServer server;
    try {
      server = launcher.launch(loaded.config());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("registry-server: " + e.getMessage());
      return EXIT_BAD_CONFIG;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("registry-server: cannot start: " + e.getMessage());
      LOG.debug("start failed", e);
      return EXIT_FAILURE;
    }
    LOG.info(startupLine(loaded, server.port()));
    try {
      waiter.serveUntilShutdown(server);
      return CommandLine.ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      return CommandLine.ExitCode.OK;
    }
  }

  /**
   * Loads the configuration as {@code serve} does (flags after the subcommand win over those before it) and sets up
   * logging from it; null, with the error printed, for a bad configuration (exit {@link #EXIT_BAD_CONFIG}).
   */
  LoadedConfig load(Path configFile, List<FlagOverride> subcommandFlags) {
    // Until the configuration says otherwise, log at info: libraries used while loading must not log at debug.
    LoggingSetup.apply(new RegistryConfig.Log("info", true, Map.of()));
    List<FlagOverride> flags = new ArrayList<>(overrides.overrides());
    flags.addAll(subcommandFlags);
    LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(env, ConfigDefaults.forEnvironment(env)).load(configFile, flags);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("registry-server: " + e.getMessage());
      return null;
    }
    LoggingSetup.apply(loaded.config().log());
    loaded.warnings().forEach(LOG::warn);
    return loaded;
  }

  private static String startupLine(LoadedConfig loaded, int port) {
    RegistryConfig config = loaded.config();
    RegistryConfig.Auth auth = config.auth();
    String authMode = auth.token() != null ? "token" : auth.htpasswd() != null ? "htpasswd" : "none";
    return "registry-server " + VersionInfo.version() + " listening on "
        + (config.http().tlsEnabled() ? "https://" : "http://") + config.http().host() + ":" + port
        + "; storage " + config.storage().rootDirectory()
        + (config.storage().readOnly() ? " (read-only)" : "")
        + "; deletes " + (config.storage().deleteEnabled() ? "enabled" : "disabled")
        + "; auth " + authMode
        + "; config " + loaded.file().map(Path::toString).orElse("defaults");
  }
}
