package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A thin JDK HttpClient wrapper speaking to a registry under test, with the few protocol moves tests repeat. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** Uploads a blob in one POST with {@code ?digest=} and checks it was created. */
  Digest pushBlob(String repo, byte[] content) {
    Digest digest = Digest.sha256(content);
    HttpResponse<byte[]> response = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content);
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(201);
    return digest;
  }

  /** Pushes a manifest and returns the digest the registry reported. */
  String pushManifest(String repo, String reference, String mediaType, byte[] manifest) {
    HttpResponse<byte[]> response = send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(201);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first error code of a spec error body. */
  static String errorCode(HttpResponse<byte[]> response) {
    return json(response).path("errors").path(0).path("code").asText();
  }
}
