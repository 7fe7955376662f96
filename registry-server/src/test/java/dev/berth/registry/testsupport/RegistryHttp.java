package dev.berth.registry.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/** Plain JSON GETs of a registry's listing endpoints, for checks skopeo cannot make. */
public final class RegistryHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final String hostPort;

  public RegistryHttp(String hostPort) {
    this.hostPort = hostPort;
  }

  /** {@code GET /v2/_catalog}: the repository names. */
  public List<String> catalog() {
    return strings(getJson("/v2/_catalog?n=1000").path("repositories"));
  }

  /** {@code GET /v2/<name>/tags/list}: the tags. */
  public List<String> tags(String repository) {
    return strings(getJson("/v2/" + repository + "/tags/list").path("tags"));
  }

  /** {@code POST /v2/<to>/blobs/uploads/?mount=<digest>&from=<from>}: a cross-repository mount; its status code. */
  public int mount(String to, String digest, String from) {
    return send(HttpRequest.newBuilder(uri("/v2/" + to + "/blobs/uploads/?mount=" + digest + "&from=" + from))
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
  }

  /** The status code of {@code DELETE path}. */
  public int deleteStatus(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE()).statusCode();
  }

  /** The status code of {@code HEAD path}. */
  public int headStatus(String path) {
    return send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode();
  }

  /** The status code of {@code GET path}. */
  public int getStatus(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET()).statusCode();
  }

  public JsonNode getJson(String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
    if (response.statusCode() != 200) {
      throw new AssertionFailedError("GET " + path + " on " + hostPort + " answered " + response.statusCode() + ": "
          + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionFailedError("GET " + path + " did not answer JSON: " + response.body(), e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://" + hostPort + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("request to " + hostPort + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
