package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import at.favre.lib.crypto.bcrypt.BCrypt;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.cli.RegistryServerCommand;
import dev.berth.registry.oci.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import picocli.CommandLine;
import dev.berth.registry.auth.AuthRequest;
import dev.berth.registry.auth.Scope;
import dev.berth.registry.cli.RunningServer;
import dev.berth.registry.config.ConfigDefaults;
import dev.berth.registry.config.ConfigException;
import dev.berth.registry.config.ConfigLoader;
import dev.berth.registry.config.FlagOverride;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.logging.AccessLog;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class MainTest {
  @TempDir
  Path tmp;

  private RegistryConfig load(FlagOverride... flags) {
    return new ConfigLoader(Map.of(), new ConfigDefaults(tmp.resolve("root"), Optional.empty())).load(null, List.of(flags))
        .config();
  }

  @Test
  void launchWiresFilesystemStorageAndServesTheApi() throws Exception {
    RegistryConfig config = load(new FlagOverride("http.addr", "127.0.0.1:0", "--addr"));

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    accessLines.setContext(context);
    accessLines.start();
    context.getLogger(AccessLog.LOGGER_NAME).addAppender(accessLines);
    try (RunningServer server = Main.launch(config)) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(server.port()).isPositive();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(accessLines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).matches("time=\\S+ method=GET path=/v2/ status=200 bytes=\\d+ "
              + "duration_ms=\\d+\\.\\d{3} client=127\\.0\\.0\\.1 user=anonymous user_agent=\\S+")));
    } finally {
      context.getLogger(AccessLog.LOGGER_NAME).detachAppender(accessLines);
    }
    assertThat(tmp.resolve("root")).isDirectory();
  }

  @Test
  void withoutAuthEveryoneIsAllowed() throws Exception {
    AuthDecision decision = Main.authenticatorFor(RegistryConfig.Auth.none()).authorize(
        new AuthRequest(null, InetAddress.getLoopbackAddress(), "localhost", false), Scope.repository("a", "push"));

    assertThat(decision).isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void configuredHtpasswdBecomesBasicAuth() throws Exception {
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "s3cret".toCharArray());
    Path htpasswd = Files.writeString(tmp.resolve("htpasswd"), "alice:" + hash + "\n");
    RegistryConfig config = load(new FlagOverride("auth.htpasswd.path", htpasswd.toString(), "--htpasswd"));
    Authenticator authenticator = Main.authenticatorFor(config.auth());
    Scope push = Scope.repository("team-a/app", "push");
    String basic = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));

    assertThat(authenticator.authorize(new AuthRequest(null, InetAddress.getLoopbackAddress(), "localhost", false), push))
        .isInstanceOfSatisfying(AuthDecision.Refused.class, refused -> {
          assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(refused.wwwAuthenticate()).startsWith("Basic realm=");
        });
    assertThat(authenticator.authorize(new AuthRequest(basic, InetAddress.getLoopbackAddress(), "localhost", false), push))
        .isEqualTo(new AuthDecision.Allowed("alice"));
  }

  @Test
  void authSettingsThatCannotWorkAreConfigErrors() throws Exception {
    Path htpasswd = Files.writeString(tmp.resolve("htpasswd"), "");
    Path notAKey = Files.writeString(tmp.resolve("token.key"), "not a PEM key\n");
    RegistryConfig.Auth auth = new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd),
        new RegistryConfig.Token("", "berth", "berth", 300, notAKey), false, List.of());

    assertThatThrownBy(() -> Main.authenticatorFor(auth)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.token.signingkey");
  }

  @Test
  void anUnusableCertificateStopsTheCommandWithExitCode2() throws Exception {
    Path cert = Files.writeString(tmp.resolve("tls.crt"), "not a certificate\n");
    Path key = Files.writeString(tmp.resolve("tls.key"), "not a key\n");
    StringWriter err = new StringWriter();
    CommandLine commandLine = RegistryServerCommand.commandLine(Map.of(), Main::launch, server -> server.close());
    commandLine.setErr(new PrintWriter(err, true));

    int exitCode = commandLine.execute("--addr", "127.0.0.1:0", "--root", tmp.resolve("root").toString(),
        "--tls-certificate", cert.toString(), "--tls-key", key.toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).startsWith("registry-server: http.tls").hasLineCount(1);
  }

  @AfterEach
  void restoreTheTestLoggingConfiguration() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }
}
