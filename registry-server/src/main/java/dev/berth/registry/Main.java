package dev.berth.registry;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.cli.JvmShutdownWaiter;
import dev.berth.registry.cli.RegistryServerCommand;
import dev.berth.registry.cli.RunningServer;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.storage.FilesystemStorage;

/**
 * {@code java -jar registry-server.jar [serve CONFIG.yml] [flags]}: parses the command line, loads the configuration
 * and wires storage, authentication and the HTTP server. Exit codes: 0 stopped, 1 failed to start, 2 bad config.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int exitCode = RegistryServerCommand.commandLine(System.getenv(), Main::launch, new JvmShutdownWaiter()).execute(args);
    // After a normal stop the JVM is already shutting down; exiting explicitly matters only for failures.
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** Starts the real server: filesystem storage under the configured root, then the HTTP listener. */
  static RunningServer launch(RegistryConfig config) {
    Authenticator authenticator = authenticatorFor(config.auth());
    RegistryServer server = new RegistryServer(config, new FilesystemStorage(config.storage().rootDirectory()),
        authenticator).start();
    return new RunningServer() {
      @Override
      public int port() {
        return server.port();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  /**
   * The one place the configured auth becomes an {@link Authenticator}. Until the htpasswd/token authenticators are
   * wired in here, a configured auth section stops the server instead of silently serving everyone.
   */
  static Authenticator authenticatorFor(RegistryConfig.Auth auth) {
    if (!auth.enabled()) {
      return Authenticator.allowAll();
    }
    throw new ConfigException((auth.token() != null ? "auth.token" : "auth.htpasswd")
        + ": authentication is not available in this build yet; remove the auth section to serve without it");
  }
}
