package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.storage.FilesystemStorage;
import dev.berth.registry.ui.UiHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ui/} and {@code /v2/_berth/} over HTTP: off is 404 in the error format; on, files with types, CSP and ETags. */
class UiRoutesTest {
  @TempDir Path root;
  private RegistryServer server;

  private ApiClient start(boolean enabled) {
    RegistryConfig config = new RegistryConfig(new RegistryConfig.Log("info", false, Map.of()), TestServers.loopback(),
        new RegistryConfig.Storage(root, true, false), RegistryConfig.Auth.none())
        .withUi(new RegistryConfig.Ui(enabled));
    server = new RegistryServer(config, new FilesystemStorage(root), Authenticator.allowAll()).start();
    return new ApiClient(server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void offByDefaultEverythingIsNotFoundInTheRegistrysFormat() {
    ApiClient client = start(false);
    for (String path : new String[] {"/ui", "/ui/", "/ui/app.js", "/v2/_berth/repositories"}) {
      HttpResponse<byte[]> response = client.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(ApiClient.errorCode(response)).as(path).isEqualTo("UNSUPPORTED");
    }
  }

  @Test
  void onTheFilesComeWithTheirTypeAStrictPolicyAndAnEtag() {
    ApiClient client = start(true);
    HttpResponse<byte[]> redirect = client.get("/ui");
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/ui/");

    HttpResponse<byte[]> page = client.get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(UiHeaders.CONTENT_SECURITY_POLICY);
    assertThat(UiHeaders.CONTENT_SECURITY_POLICY).startsWith("default-src 'self';");
    assertThat(new String(page.body())).contains("<script type=\"module\" src=\"app.js\">");

    HttpResponse<byte[]> script = client.get("/ui/app.js");
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    String etag = script.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> again = client.get("/ui/app.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    assertThat(client.get("/ui/missing.js").statusCode()).isEqualTo(404);
    assertThat(client.get("/ui/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(client.send("POST", "/ui/app.js", new byte[0]).statusCode()).isEqualTo(405);
  }

  @Test
  void theApiAnswersJsonAndRefusesBadInput() {
    ApiClient client = start(true);
    HttpResponse<byte[]> list = client.get("/v2/_berth/repositories?q=");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(ApiClient.json(list).path("repositories").isArray()).isTrue();
    HttpResponse<byte[]> noName = client.get("/v2/_berth/tags");
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(ApiClient.errorCode(noName)).isEqualTo("UNSUPPORTED");
    assertThat(ApiClient.errorCode(client.get("/v2/_berth/tags?repository=Bad//Name"))).isEqualTo("NAME_INVALID");
    assertThat(client.get("/v2/_berth/nothing").statusCode()).isEqualTo(404);
  }
}
