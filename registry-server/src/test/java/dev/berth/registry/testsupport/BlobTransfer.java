package dev.berth.registry.testsupport;

import dev.berth.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.opentest4j.AssertionFailedError;

/**
 * Pushes and pulls single blobs over the registry API with streamed bodies (POST, one streamed PATCH, PUT with the
 * digest; GET), hashing on the fly: blobs of any size pass through without being held in memory.
 */
public final class BlobTransfer {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TRANSFER_LIMIT = Duration.ofMinutes(5);

  private final String hostPort;

  public BlobTransfer(String hostPort) {
    this.hostPort = hostPort;
  }

  /** What arrived or was sent: the digest of the bytes and how many there were. */
  public record Transferred(Digest digest, long length) {}

  /** {@code POST /v2/<repo>/blobs/uploads/}: the absolute upload URL. */
  public URI startUpload(String repository) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
    expect(response, 202);
    String location = response.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionFailedError("upload start without Location"));
    return uri("/").resolve(location);
  }

  /** One PATCH streaming all of {@code content}; returns the digest of what was sent. */
  public Transferred patch(URI upload, InputStream content, long length) {
    MessageDigest hasher = sha256();
    DigestInputStream hashing = new DigestInputStream(content, hasher);
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> hashing), length);
    HttpResponse<String> response = send(HttpRequest.newBuilder(upload).timeout(TRANSFER_LIMIT)
        .header("Content-Type", "application/octet-stream").method("PATCH", body), HttpResponse.BodyHandlers.ofString());
    expect(response, 202);
    return new Transferred(new Digest("sha256", HexFormat.of().formatHex(hasher.digest())), length);
  }

  /** {@code PUT <upload>?digest=}: completes the upload; the registry must answer 201 with that digest. */
  public void complete(URI upload, Digest digest) {
    String separator = upload.getRawQuery() == null ? "?" : "&";
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
        .PUT(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
    expect(response, 201);
    String answered = response.headers().firstValue("Docker-Content-Digest").orElse("");
    if (!answered.equals(digest.toString())) {
      throw new AssertionFailedError("upload completed with Docker-Content-Digest " + answered + ", sent " + digest);
    }
  }

  /** Streams {@code content} into {@code repository} as one blob; returns its digest and length. */
  public Transferred push(String repository, InputStream content, long length) {
    URI upload = startUpload(repository);
    Transferred sent = patch(upload, content, length);
    complete(upload, sent.digest());
    return sent;
  }

  /** Streams the blob back, hashing it as it arrives. */
  public Transferred pull(String repository, Digest digest) {
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest))
        .timeout(TRANSFER_LIMIT).GET(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest hasher = digest.newHasher();
    long length;
    try (InputStream body = new DigestInputStream(response.body(), hasher)) {
      if (response.statusCode() != 200) {
        throw new AssertionFailedError("GET blob " + digest + " answered " + response.statusCode() + ": "
            + new String(body.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8));
      }
      length = body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("reading blob " + digest + " failed", e);
    }
    return new Transferred(new Digest(digest.algorithm(), HexFormat.of().formatHex(hasher.digest())), length);
  }

  private URI uri(String path) {
    return URI.create("http://" + hostPort + path);
  }

  private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return HTTP.send(request.build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException("request failed: " + request.build(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionFailedError(response.request().method() + " " + response.request().uri() + " answered "
          + response.statusCode() + ", expected " + status + ": " + response.body());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
