package dev.berth.registry.gc;

import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ManifestMediaTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A pushing and pulling client for the soak, speaking the distribution API as docker and skopeo do. */
final class SoakClient {
  /** An image as pushed: its blobs by digest with their content, and its manifest. */
  record Image(String repo, String tag, Digest manifest, byte[] manifestBytes, Map<Digest, byte[]> blobs) {}

  /** A push the registry refused in a way clients retry. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String body) {
      super(status + ": " + body);
      this.status = status;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  SoakClient(String hostPort) {
    this.base = "http://" + hostPort + "/v2/";
  }

  static Image image(String repo, String tag, List<byte[]> layers, byte[] config) {
    Map<Digest, byte[]> blobs = new java.util.LinkedHashMap<>();
    List<String> descriptors = new ArrayList<>();
    for (byte[] layer : layers) {
      Digest digest = Digest.sha256(layer);
      blobs.put(digest, layer);
      descriptors.add(GcFixtures.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", digest, layer.length));
    }
    Digest configDigest = Digest.sha256(config);
    blobs.put(configDigest, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":"
        + GcFixtures.descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
        + ",\"layers\":[" + String.join(",", descriptors) + "]}").getBytes(StandardCharsets.UTF_8);
    return new Image(repo, tag, Digest.sha256(manifest), manifest, blobs);
  }

  /** Pushes like docker: HEAD each blob, upload the missing ones, then PUT the manifest by tag. */
  void push(Image image, boolean skipExisting) throws IOException, InterruptedException, Refused {
    for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
      if (skipExisting && status("HEAD", image.repo() + "/blobs/" + blob.getKey()) == 200) {
        continue;
      }
      upload(image.repo(), blob.getKey(), blob.getValue());
    }
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + image.repo() + "/manifests/" + image.tag()))
        .header("Content-Type", ManifestMediaTypes.OCI_MANIFEST).timeout(Duration.ofSeconds(60))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifestBytes())).build(), HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new Refused(put.statusCode(), put.body());
    }
  }

  private void upload(String repo, Digest digest, byte[] content) throws IOException, InterruptedException, Refused {
    HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + repo + "/blobs/uploads/"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      throw new Refused(started.statusCode(), started.body());
    }
    URI location = URI.create(base).resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream").timeout(Duration.ofSeconds(60))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new Refused(put.statusCode(), put.body());
    }
  }

  int delete(String repo, String reference) throws IOException, InterruptedException {
    return status("DELETE", repo + "/manifests/" + reference);
  }

  /** The body of a GET, or null when it is not 200. */
  byte[] get(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", ManifestMediaTypes.OCI_MANIFEST).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() == 200 ? response.body() : null;
  }

  private int status(String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
