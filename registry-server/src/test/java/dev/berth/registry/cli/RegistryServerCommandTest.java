package dev.berth.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.RegistryConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Runs the picocli command in-process with a fake server, so exit codes and messages are checked without a socket. */
class RegistryServerCommandTest {
  @TempDir
  Path tmp;

  private final List<RegistryConfig> launched = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Map<String, String> env = new HashMap<>();
  private ServerLauncher launcher = config -> {
    launched.add(config);
    return new RunningServer() {
      @Override
      public int port() {
        return 4242;
      }

      @Override
      public void close() {
        events.add("closed");
      }
    };
  };

  @AfterEach
  void restoreTheTestLoggingConfiguration() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private int run(String... args) {
    ShutdownWaiter waiter = server -> {
      events.add("serving on " + server.port());
      server.close();
    };
    CommandLine commandLine = RegistryServerCommand.commandLine(env, launcher, waiter);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path config(String yaml) throws Exception {
    return Files.writeString(tmp.resolve("config.yml"), yaml);
  }

  private String root() {
    return tmp.resolve("root").toString();
  }

  @Test
  void noArgumentsServesTheDefaultsUntilShutdownThenCloses() {
    env.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root());

    assertThat(run()).isZero();

    assertThat(launched).hasSize(1);
    assertThat(launched.get(0).http().host()).isEqualTo("0.0.0.0");
    assertThat(launched.get(0).http().port()).isEqualTo(5000);
    assertThat(launched.get(0).storage().rootDirectory()).isEqualTo(tmp.resolve("root"));
    assertThat(events).containsExactly("serving on 4242", "closed");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void serveReadsTheFileLikeDistributionsRegistryServe() throws Exception {
    Path file = config("version: 0.1\nhttp:\n  addr: 127.0.0.1:5123\nstorage:\n  filesystem:\n    rootdirectory: " + root()
        + "\n  delete:\n    enabled: true\n");

    assertThat(run("serve", file.toString())).isZero();

    assertThat(launched).singleElement().satisfies(config -> {
      assertThat(config.http().host()).isEqualTo("127.0.0.1");
      assertThat(config.http().port()).isEqualTo(5123);
      assertThat(config.storage().deleteEnabled()).isTrue();
    });
  }

  @Test
  void flagsOverrideTheFileAndTheEnvironment() throws Exception {
    Path file = config("http:\n  addr: :5001\nlog:\n  level: error\n");
    env.put("REGISTRY_HTTP_ADDR", ":5002");
    env.put("REGISTRY_STORAGE_DELETE_ENABLED", "false");

    assertThat(run("serve", file.toString(), "--addr", ":5003", "--root", root(), "--delete-enabled",
        "--log-level", "debug", "--access-log=false")).isZero();

    RegistryConfig config = launched.get(0);
    assertThat(config.http().port()).isEqualTo(5003);
    assertThat(config.storage().deleteEnabled()).isTrue();
    assertThat(config.log().level()).isEqualTo("debug");
    assertThat(config.log().accessLog()).isFalse();
  }

  @Test
  void flagsAfterServeWinOverFlagsBeforeIt() throws Exception {
    assertThat(run("--addr", ":5004", "--root", root(), "serve", "--addr", ":5005", "--read-only=false")).isZero();

    assertThat(launched.get(0).http().port()).isEqualTo(5005);
    assertThat(launched.get(0).storage().readOnly()).isFalse();
  }

  @Test
  void aBadConfigIsOneLineOnStderrAndExitCode2() throws Exception {
    Path file = config("storage:\n  filesytem:\n    rootdirectory: /srv\n");

    assertThat(run("serve", file.toString())).isEqualTo(2);

    assertThat(err.toString()).isEqualTo("registry-server: " + file + ": unknown key 'storage.filesytem' (known keys "
        + "under 'storage': cache, delete, filesystem, listings, maintenance, redirect, s3)" + System.lineSeparator());
    assertThat(launched).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aBadValueFromTheEnvironmentOrAFlagIsExitCode2() {
    env.put("REGISTRY_HTTP_ADDR", ":99999");
    assertThat(run("--root", root())).isEqualTo(2);
    assertThat(err.toString()).startsWith("registry-server: http.addr: ':99999': port 99999 is out of range")
        .endsWith("(set by REGISTRY_HTTP_ADDR)" + System.lineSeparator());

    env.clear();
    err.getBuffer().setLength(0);
    assertThat(run("--root", root(), "--log-level", "chatty")).isEqualTo(2);
    assertThat(err.toString()).contains("(set by --log-level)").hasLineCount(1);
  }

  @Test
  void aMissingConfigFileIsExitCode2() {
    assertThat(run("serve", tmp.resolve("nope.yml").toString())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("registry-server: config file '" + tmp.resolve("nope.yml") + "' does not exist"
        + System.lineSeparator());
  }

  @Test
  void aBadCommandLineIsExitCode2WithUsage() {
    assertThat(run("--no-such-flag")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-flag'").contains("Usage: registry-server");

    err.getBuffer().setLength(0);
    assertThat(run("--delete-enabled=perhaps", "--root", root())).isEqualTo(2);
    assertThat(err.toString()).contains("--delete-enabled");

    err.getBuffer().setLength(0);
    assertThat(run("serve", "a.yml", "b.yml")).isEqualTo(2);
    assertThat(launched).isEmpty();
  }

  @Test
  void helpAndVersionExitZeroWithoutServing() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: registry-server").contains("serve").contains("--addr")
        .contains("Exit codes:");

    out.getBuffer().setLength(0);
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: registry-server serve").contains("CONFIG.yml");

    out.getBuffer().setLength(0);
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("registry-server ");
    assertThat(launched).isEmpty();
  }

  @Test
  void aServerThatCannotStartIsExitCode1() {
    launcher = config -> {
      throw new IllegalStateException("cannot listen on 0.0.0.0/0.0.0.0:5000: Address already in use");
    };

    assertThat(run("--root", root())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("registry-server: cannot start: cannot listen on 0.0.0.0/0.0.0.0:5000: "
        + "Address already in use" + System.lineSeparator());
  }

  @Test
  void aConfigProblemFoundWhileStartingIsExitCode2() {
    launcher = config -> {
      throw new ConfigException("auth.htpasswd: not available");
    };

    assertThat(run("--root", root())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("registry-server: auth.htpasswd: not available" + System.lineSeparator());
  }

  @Test
  void theContainerDefaultsReadTheMountedConfigWhenNoFileIsGiven() throws Exception {
    // The container image's default file is a fixed path; REGISTRY_CONFIGURATION_PATH stands in for it here.
    Path file = config("http:\n  addr: :5007\n");
    env.put("REGISTRY_CONFIGURATION_PATH", file.toString());

    assertThat(run("serve", "--root", root())).isZero();
    assertThat(launched.get(0).http().port()).isEqualTo(5007);
  }
}
