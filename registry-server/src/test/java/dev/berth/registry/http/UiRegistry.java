package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.auth.Authenticators;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.ui.SampleImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What the UI tests run against: a real server with the UI on, users alice (wonderland) and bob (builder), alice may
 * pull, push and delete in team-a/* and only pull team-b/*, bob may nothing; team-a/app holds v1 (amd64), an untagged
 * arm64 image, the index multi of both and an SBOM of v1; team-b/tool holds latest.
 */
final class UiRegistry implements AutoCloseable {
  /** How users sign in: Basic on every request, or the token protocol with the server's own /auth/token. */
  enum Login { HTPASSWD, TOKEN }

  static final String ALICE = basic("alice", "wonderland");
  static final String BOB = basic("bob", "builder");

  private final RegistryServer server;
  private final Authenticator authenticator;
  private final Login login;

  private UiRegistry(RegistryServer server, Authenticator authenticator, Login login) {
    this.server = server;
    this.authenticator = authenticator;
    this.login = login;
  }

  static UiRegistry start(Path root, Path dir, Login login, boolean deleteEnabled) throws IOException {
    Path htpasswd = Files.writeString(dir.resolve("htpasswd"), line("alice", "wonderland") + "\n"
        + line("bob", "builder") + "\n");
    RegistryConfig.Token token = login == Login.TOKEN
        ? new RegistryConfig.Token("", "berth.test", "berth-issuer", 300, null) : null;
    RegistryConfig.Auth auth = new RegistryConfig.Auth(new RegistryConfig.Htpasswd("berth", htpasswd), token, false,
        List.of(new RegistryConfig.AccessRule("alice", "team-a/*", List.of("pull", "push", "delete")),
            new RegistryConfig.AccessRule("alice", "team-b/*", List.of("pull"))));
    Authenticator authenticator = Authenticators.fromConfig(auth);
    FilesystemStorage storage = new FilesystemStorage(root);
    SampleImages images = new SampleImages(storage);
    RepositoryName app = RepositoryName.parse("team-a/app");
    SampleImages.Pushed amd64 = images.image(app, "v1", "amd64", "the amd64 layer");
    SampleImages.Pushed arm64 = images.image(app, null, "arm64", "the arm64 layer");
    images.index(app, "multi", amd64, arm64);
    images.sbom(app, amd64);
    images.image(RepositoryName.parse("team-b/tool"), "latest", "amd64", "the tool's layer");
    RegistryConfig config = new RegistryConfig(new RegistryConfig.Log("info", false, Map.of()), TestServers.loopback(),
        new RegistryConfig.Storage(root, deleteEnabled, false), auth).withUi(new RegistryConfig.Ui(true));
    return new UiRegistry(new RegistryServer(config, storage, authenticator).start(), authenticator, login);
  }

  int port() {
    return server.port();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * The Authorization a client sends for {@code scope} (null: none, as the UI signs in): the Basic header itself, or
   * with tokens one bought with it from the server's /auth/token.
   */
  String authorization(ApiClient client, String basic, String scope) {
    if (login == Login.HTPASSWD) {
      return basic;
    }
    String query = "/auth/token?service=berth.test" + (scope == null ? "" : "&scope=" + scope);
    HttpResponse<byte[]> token = client.get(query, "Authorization", basic);
    assertThat(token.statusCode()).as(new String(token.body())).isEqualTo(200);
    return "Bearer " + ApiClient.json(token).path("token").asText();
  }

  @Override
  public void close() {
    server.close();
    authenticator.close();
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String line(String user, String password) {
    return user + ":" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(5, password.toCharArray());
  }
}
