package dev.berth.registry.http;

import dev.berth.registry.oci.RepositoryName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request path (without query) to a {@link Route}. Repository names contain '/', so endpoints are recognised
 * by their trailing segments ({@code .../manifests/<ref>}, {@code .../blobs/uploads/<id>}, ...) and the name is
 * whatever precedes them. The name is validated here, so no handler ever sees an unchecked one.
 */
public final class Router {
  private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
  private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

  private static final String BERTH_API = "/v2/_berth/";

  private Router() {}

  public static Route route(String path) {
    switch (path) {
      case "/v2", "/v2/":
        return new Route.Base();
      case "/v2/_catalog":
        return new Route.Catalog();
      case "/v1/search":
        return new Route.Search();
      case "/healthz":
        return new Route.Health();
      case "/readyz":
        return new Route.Ready();
      case "/auth/token":
        return new Route.Token();
      case "/ui":
        return new Route.UiRedirect();
      default:
        break;
    }
    if (path.startsWith("/ui/")) {
      return new Route.UiFile(path.substring("/ui/".length()));
    }
    if (path.startsWith(BERTH_API)) {
      // "_berth" is no valid repository name, so no repository's path can reach here
      return new Route.BerthApi(path.substring(BERTH_API.length()));
    }
    if (!path.startsWith("/v2/")) {
      return new Route.NotFound(path);
    }
    Matcher m;
    if ((m = TAGS.matcher(path)).matches()) {
      return new Route.Tags(RepositoryName.parse(m.group(1)));
    }
    if ((m = MANIFEST.matcher(path)).matches()) {
      return new Route.Manifest(RepositoryName.parse(m.group(1)), m.group(2));
    }
    if ((m = UPLOAD_START.matcher(path)).matches()) {
      return new Route.UploadStart(RepositoryName.parse(m.group(1)));
    }
    if ((m = UPLOAD.matcher(path)).matches()) {
      return new Route.Upload(RepositoryName.parse(m.group(1)), m.group(2));
    }
    if ((m = BLOB.matcher(path)).matches()) {
      return new Route.Blob(RepositoryName.parse(m.group(1)), m.group(2));
    }
    if ((m = REFERRERS.matcher(path)).matches()) {
      return new Route.Referrers(RepositoryName.parse(m.group(1)), m.group(2));
    }
    return new Route.NotFound(path);
  }
}
