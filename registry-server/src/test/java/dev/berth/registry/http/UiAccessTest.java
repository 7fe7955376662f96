package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /v2/_berth/} over HTTP applies the v2 API's login and access rules: 401 with the challenge without valid
 * credentials, only pullable repositories listed, 403 DENIED for the rest, and a delete permission that matches what
 * the v2 API then allows.
 */
class UiAccessTest {
  @TempDir Path root;
  @TempDir Path dir;
  private UiRegistry registry;

  private ApiClient start(UiRegistry.Login login, boolean deleteEnabled) throws IOException {
    registry = UiRegistry.start(root, dir, login, deleteEnabled);
    return new ApiClient(registry.port());
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @ParameterizedTest
  @EnumSource(UiRegistry.Login.class)
  void withoutValidCredentialsEveryCallIs401WithTheV2Challenge(UiRegistry.Login login) throws IOException {
    ApiClient client = start(login, true);
    String scheme = login == UiRegistry.Login.TOKEN ? "Bearer realm=" : "Basic realm=";
    for (String path : List.of("/v2/_berth/repositories", "/v2/_berth/tags?repository=team-a/app",
        "/v2/_berth/manifest?repository=team-a/app&reference=v1")) {
      for (String[] headers : List.of(new String[0],
          new String[] {"Authorization", UiRegistry.basic("alice", "wrong")},
          new String[] {"Authorization", "Bearer not-a-token"})) {
        HttpResponse<byte[]> response = client.get(path, headers);
        assertThat(response.statusCode()).as(path + " " + List.of(headers)).isEqualTo(401);
        assertThat(ApiClient.errorCode(response)).as(path).isEqualTo("UNAUTHORIZED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
            challenge -> assertThat(challenge).startsWith(scheme));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(UiRegistry.Login.class)
  void aUserSeesOnlyTheRepositoriesTheyMayPullAndIsDeniedTheRest(UiRegistry.Login login) throws IOException {
    ApiClient client = start(login, true);
    String alice = registry.authorization(client, UiRegistry.ALICE, null);
    String bob = registry.authorization(client, UiRegistry.BOB, null);
    assertThat(names(client.get("/v2/_berth/repositories?q=", "Authorization", alice)))
        .containsExactly("team-a/app", "team-b/tool");
    assertThat(names(client.get("/v2/_berth/repositories?q=TOOL", "Authorization", alice)))
        .containsExactly("team-b/tool");
    HttpResponse<byte[]> bobsList = client.get("/v2/_berth/repositories", "Authorization", bob);
    assertThat(bobsList.statusCode()).isEqualTo(200);
    assertThat(ApiClient.json(bobsList).path("user").asText()).isEqualTo("bob");
    assertThat(names(bobsList)).isEmpty();
    for (String path : List.of("/v2/_berth/tags?repository=team-a/app",
        "/v2/_berth/manifest?repository=team-a/app&reference=v1",
        "/v2/_berth/manifest?repository=team-b/tool&reference=latest")) {
      HttpResponse<byte[]> denied = client.get(path, "Authorization", bob);
      assertThat(denied.statusCode()).as(path).isEqualTo(403);
      assertThat(ApiClient.errorCode(denied)).as(path).isEqualTo("DENIED");
      assertThat(new String(denied.body())).as("nothing of the repository leaks").doesNotContain("sha256:");
    }
  }

  @Test
  void theDeletePermissionIsWhatTheV2ApiThenAllows() throws IOException {
    ApiClient client = start(UiRegistry.Login.HTPASSWD, true);
    assertThat(permissions(client, "team-a/app").path("delete").asBoolean()).isTrue();
    assertThat(permissions(client, "team-b/tool").path("delete").asBoolean()).isFalse();
    assertThat(permissions(client, "team-b/tool").path("pull").asBoolean()).isTrue();

    HttpResponse<byte[]> refused = client.send("DELETE", "/v2/team-b/tool/manifests/latest", null,
        "Authorization", UiRegistry.ALICE);
    assertThat(refused.statusCode()).as("signed in, not allowed: Basic's answer").isEqualTo(403);
    assertThat(ApiClient.errorCode(refused)).isEqualTo("DENIED");
    assertThat(client.get("/v2/team-b/tool/manifests/latest", "Authorization", UiRegistry.ALICE).statusCode())
        .isEqualTo(200);
    assertThat(client.send("DELETE", "/v2/team-a/app/manifests/v1", null, "Authorization", UiRegistry.ALICE)
        .statusCode()).isEqualTo(202);
  }

  @Test
  void withDeletesOffNobodyGetsTheDeletePermission() throws IOException {
    ApiClient client = start(UiRegistry.Login.HTPASSWD, false);
    assertThat(permissions(client, "team-a/app").path("delete").asBoolean()).isFalse();
    assertThat(client.send("DELETE", "/v2/team-a/app/manifests/v1", null, "Authorization", UiRegistry.ALICE)
        .statusCode()).isEqualTo(405);
  }

  private static JsonNode permissions(ApiClient client, String repository) {
    HttpResponse<byte[]> tags = client.get("/v2/_berth/tags?repository=" + repository, "Authorization",
        UiRegistry.ALICE);
    assertThat(tags.statusCode()).as(new String(tags.body())).isEqualTo(200);
    return ApiClient.json(tags).path("permissions");
  }

  private static List<String> names(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    List<String> names = new ArrayList<>();
    ApiClient.json(response).path("repositories").forEach(r -> names.add(r.path("name").asText()));
    return names;
  }
}
