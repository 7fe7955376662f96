package dev.berth.registry.http;

import dev.berth.registry.metrics.Handler;
import dev.berth.registry.oci.RepositoryName;

/** A parsed request target. Repository names are validated by {@link Router}; references and digests by endpoints. */
public sealed interface Route {
  /** The metrics' name for this route (distribution's route name where it has one). */
  Handler handler();

  record Base() implements Route {
    public Handler handler() {
      return Handler.BASE;
    }
  }

  record Catalog() implements Route {
    public Handler handler() {
      return Handler.CATALOG;
    }
  }

  record Search() implements Route {
    public Handler handler() {
      return Handler.SEARCH;
    }
  }

  record Health() implements Route {
    public Handler handler() {
      return Handler.HEALTH;
    }
  }

  record Ready() implements Route {
    public Handler handler() {
      return Handler.READY;
    }
  }

  record Token() implements Route {
    public Handler handler() {
      return Handler.TOKEN;
    }
  }

  record Tags(RepositoryName repo) implements Route {
    public Handler handler() {
      return Handler.TAGS;
    }
  }

  record Manifest(RepositoryName repo, String reference) implements Route {
    public Handler handler() {
      return Handler.MANIFEST;
    }
  }

  record Blob(RepositoryName repo, String digest) implements Route {
    public Handler handler() {
      return Handler.BLOB;
    }
  }

  /** distribution's blob-upload route: {@code POST .../blobs/uploads/}. */
  record UploadStart(RepositoryName repo) implements Route {
    public Handler handler() {
      return Handler.BLOB_UPLOAD;
    }
  }

  /** distribution's blob-upload-chunk route: {@code .../blobs/uploads/<id>}. */
  record Upload(RepositoryName repo, String uploadId) implements Route {
    public Handler handler() {
      return Handler.BLOB_UPLOAD_CHUNK;
    }
  }

  record Referrers(RepositoryName repo, String digest) implements Route {
    public Handler handler() {
      return Handler.REFERRERS;
    }
  }

  /** {@code /ui}: redirected to {@code /ui/}. */
  record UiRedirect() implements Route {
    public Handler handler() {
      return Handler.UI;
    }
  }

  /** A UI file: {@code file} is the path below {@code /ui/} ("" for the page). */
  record UiFile(String file) implements Route {
    public Handler handler() {
      return Handler.UI;
    }
  }

  /** {@code /v2/_berth/<call>}: the UI's JSON API (repositories, tags, manifest). */
  record BerthApi(String call) implements Route {
    public Handler handler() {
      return Handler.BERTH_API;
    }
  }

  /** No such endpoint. */
  record NotFound(String path) implements Route {
    public Handler handler() {
      return Handler.UNKNOWN;
    }
  }
}
