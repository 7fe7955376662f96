package dev.berth.registry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.opentest4j.AssertionFailedError;

/**
 * The registry API over HTTPS from Java's HttpClient, trusting one test CA and verifying the host name: raw requests
 * with any {@code Authorization}, tokens from {@code /auth/token}, and a bare TLS handshake to see which certificate
 * a new connection gets.
 */
final class HttpsApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_LIMIT = Duration.ofMinutes(2);

  private final SSLContext tls;
  private final int port;
  private final HttpClient client;

  HttpsApi(SSLContext tls, int port) {
    this.tls = tls;
    this.port = port;
    this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + path);
  }

  /** {@code GET path} with {@code authorization} as the header (none when null). */
  HttpResponse<String> get(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_LIMIT).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return client.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A token from {@code GET /auth/token} for {@code scopes}, logging in as {@code user}; fails unless 200. */
  String token(String user, String password, String... scopes) {
    String query = "service=berth" + Stream.of(scopes)
        .map(scope -> "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)).collect(Collectors.joining());
    HttpResponse<String> response = get("/auth/token?" + query, basic(user, password));
    if (response.statusCode() != 200) {
      throw new AssertionFailedError("token request for " + user + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return json(response.body()).path("token").asText();
  }

  /** The leaf certificate a brand-new TLS connection to the server is given (host name verified as HTTPS does). */
  X509Certificate certificateOfNewConnection() {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      var parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException("TLS handshake with 127.0.0.1:" + port + " failed", e);
    }
  }

  static BigInteger serialOf(HttpResponse<?> response) {
    try {
      return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new AssertionFailedError("the response came without a verified peer", e);
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionFailedError("not JSON: " + body, e);
    }
  }

  /** The spec's error code of an error response: {@code errors[0].code}. */
  static String errorCode(HttpResponse<String> response) {
    return json(response.body()).path("errors").path(0).path("code").asText();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
