package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.oci.ErrorCode;
import dev.berth.registry.oci.RegistryException;
import dev.berth.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static RepositoryName name(String value) {
    return RepositoryName.parse(value);
  }

  @Test
  void recognisesEndpointsByTheirTrailingSegments() {
    assertThat(Router.route("/v2/")).isEqualTo(new Route.Base());
    assertThat(Router.route("/v2")).isEqualTo(new Route.Base());
    assertThat(Router.route("/v2/_catalog")).isEqualTo(new Route.Catalog());
    assertThat(Router.route("/v1/search")).isEqualTo(new Route.Search());
    assertThat(Router.route("/v2/team-a/app/tags/list")).isEqualTo(new Route.Tags(name("team-a/app")));
    assertThat(Router.route("/v2/a/b/c/manifests/v1.0")).isEqualTo(new Route.Manifest(name("a/b/c"), "v1.0"));
    assertThat(Router.route("/v2/app/blobs/uploads/")).isEqualTo(new Route.UploadStart(name("app")));
    assertThat(Router.route("/v2/app/blobs/uploads")).isEqualTo(new Route.UploadStart(name("app")));
    assertThat(Router.route("/v2/app/blobs/uploads/abc-123")).isEqualTo(new Route.Upload(name("app"), "abc-123"));
    assertThat(Router.route("/v2/app/blobs/sha256:00")).isEqualTo(new Route.Blob(name("app"), "sha256:00"));
    assertThat(Router.route("/v2/app/referrers/sha256:00")).isEqualTo(new Route.Referrers(name("app"), "sha256:00"));
  }

  @Test
  void repositoryNamesMayContainEndpointWords() {
    assertThat(Router.route("/v2/blobs/manifests/manifests/latest"))
        .isEqualTo(new Route.Manifest(name("blobs/manifests"), "latest"));
    assertThat(Router.route("/v2/tags/list/tags/list")).isEqualTo(new Route.Tags(name("tags/list")));
  }

  @Test
  void invalidNamesNeverReachAnEndpoint() {
    for (String path : new String[] {"/v2/../etc/manifests/x", "/v2/Upper/manifests/x", "/v2/a//b/manifests/x",
        "/v2/a/./b/blobs/sha256:00", "/v2/-a/tags/list"}) {
      assertThatThrownBy(() -> Router.route(path)).as(path)
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }
  }

  @Test
  void unknownPathsAreNotFound() {
    assertThat(Router.route("/index.html")).isInstanceOf(Route.NotFound.class);
    assertThat(Router.route("/v2/app/unknown/x")).isInstanceOf(Route.NotFound.class);
  }
}
