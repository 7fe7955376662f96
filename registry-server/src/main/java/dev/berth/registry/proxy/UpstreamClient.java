package dev.berth.registry.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.RepositoryName;
import dev.berth.registry.tls.PemReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Speaks the distribution API to one upstream with the JDK's HttpClient: anonymous, Basic, or the Docker token
 * protocol (a 401 with a Bearer challenge sends us to its realm for a token, with our credentials when we have any;
 * tokens are kept per scope until shortly before they expire). Redirects are followed by hand, without the
 * Authorization header, since Docker Hub and ghcr.io redirect blobs to storage that refuses a second credential.
 */
public final class UpstreamClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** For small answers (manifests, tokens); blob bodies are bounded by the reading side's inactivity instead. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);
  static final String MANIFEST_ACCEPT = String.join(", ",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private final RegistryConfig.Upstream upstream;
  private final HttpClient http;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  /** Set once the upstream asked for Basic: then it is sent up front. */
  private volatile boolean basicAsked;

  private record Token(String value, Instant expires) {}

  UpstreamClient(RegistryConfig.Upstream upstream, Clock clock) {
    this.upstream = upstream;
    this.clock = clock;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (upstream.caFile() != null) {
      builder.sslContext(trusting(upstream));
    }
    this.http = builder.build();
  }

  /** A small response, read whole (a manifest is at most a few MiB; the caller checks the size). */
  HttpResponse<byte[]> fetchSmall(String method, RepositoryName repo, String path, String accept)
      throws UpstreamException {
    return send(method, repo, path, accept, HttpResponse.BodyHandlers.ofByteArray(), REQUEST_TIMEOUT);
  }

  /** A streamed response: the caller reads and closes the body. Only 200 comes back; anything else throws. */
  HttpResponse<InputStream> fetchStream(RepositoryName repo, String path) throws UpstreamException {
    HttpResponse<InputStream> response =
        send("GET", repo, path, "*/*", HttpResponse.BodyHandlers.ofInputStream(), null);
    if (response.statusCode() != 200) {
      closeQuietly(response.body());
      throw failure(response.statusCode(), "GET " + path);
    }
    return response;
  }

  String name() {
    return upstream.name().isEmpty() ? upstream.url().toString() : upstream.name();
  }

  private <T> HttpResponse<T> send(String method, RepositoryName repo, String path, String accept,
      HttpResponse.BodyHandler<T> handler, Duration timeout) throws UpstreamException {
    String scope = "repository:" + repo.value() + ":pull";
    URI uri = URI.create(upstream.url() + path);
    HttpResponse<T> response = sendFollowing(method, uri, accept, authorization(scope), handler, timeout);
    if (response.statusCode() != 401) {
      return response;
    }
    Challenge challenge = Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null))
        .orElseThrow(() -> new UpstreamException(401, name() + " answered 401 without a challenge to " + method + " " + path));
    if (challenge.isBearer()) {
      login(challenge, scope);
    } else if (challenge.isBasic()) {
      if (basicHeader().isEmpty()) {
        throw new UpstreamException(401, name() + " wants credentials (Basic) and none are configured");
      }
      basicAsked = true;
    } else {
      throw new UpstreamException(401, name() + " asks for unsupported auth scheme '" + challenge.scheme() + "'");
    }
    response = sendFollowing(method, uri, accept, authorization(scope), handler, timeout);
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new UpstreamException(response.statusCode(), name() + " refused the credentials for " + scope);
    }
    return response;
  }

  private <T> HttpResponse<T> sendFollowing(String method, URI uri, String accept, Optional<String> authorization,
      HttpResponse.BodyHandler<T> handler, Duration timeout) throws UpstreamException {
    URI target = uri;
    Optional<String> auth = authorization;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(target).method(method, HttpRequest.BodyPublishers.noBody())
          .header("Accept", accept);
      auth.ifPresent(value -> request.header("Authorization", value));
      if (timeout != null) {
        request.timeout(timeout);
      }
      HttpResponse<T> response;
      try {
        // redirects and 401s carry no body worth reading: discard it instead of opening a stream for it
        response = http.send(request.build(), info -> isRedirect(info.statusCode()) || info.statusCode() == 401
            ? HttpResponse.BodySubscribers.replacing(null) : handler.apply(info));
      } catch (IOException e) {
        throw new UpstreamException(0, name() + " is unreachable: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UpstreamException(0, "interrupted while asking " + name(), e);
      }
      if (!isRedirect(response.statusCode())) {
        return response;
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        throw new UpstreamException(502, name() + " redirected without a Location");
      }
      URI next = target.resolve(location.get());
      if (!next.getHost().equalsIgnoreCase(target.getHost()) || next.getPort() != target.getPort()) {
        auth = Optional.empty(); // a redirect to blob storage: the registry's credential is not for it
      }
      target = next;
    }
    throw new UpstreamException(502, name() + " redirected more than " + MAX_REDIRECTS + " times");
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private Optional<String> authorization(String scope) {
    Token token = tokens.get(scope);
    if (token != null && clock.instant().isBefore(token.expires())) {
      return Optional.of("Bearer " + token.value());
    }
    return basicAsked ? basicHeader() : Optional.empty();
  }

  /** The Docker token protocol's GET of the realm (distribution docs "Token Authentication Specification"). */
  private void login(Challenge challenge, String scope) throws UpstreamException {
    String realm = challenge.param("realm");
    if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
      throw new UpstreamException(401, name() + " sent a Bearer challenge without an http(s) realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    String service = challenge.param("service");
    if (service != null) {
      url.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
    }
    url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).GET().timeout(REQUEST_TIMEOUT);
    basicHeader().ifPresent(value -> request.header("Authorization", value));
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UpstreamException(0, "token service of " + name() + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(0, "interrupted while logging in to " + name(), e);
    }
    if (response.statusCode() != 200) {
      throw new UpstreamException(response.statusCode() >= 500 ? response.statusCode() : 401,
          "token service of " + name() + " answered " + response.statusCode() + " for " + scope);
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new UpstreamException(401, "token service of " + name() + " sent no token");
      }
      // the spec's default lifetime is 60 seconds when expires_in is absent
      long seconds = Math.max(body.path("expires_in").asLong(60), 1);
      Instant expires = clock.instant().plusSeconds(seconds).minus(TOKEN_MARGIN.compareTo(Duration.ofSeconds(seconds)) < 0
          ? TOKEN_MARGIN : Duration.ZERO);
      tokens.put(scope, new Token(token, expires));
    } catch (IOException e) {
      throw new UpstreamException(401, "token service of " + name() + " sent no JSON: " + e.getMessage(), e);
    }
  }

  /** Read at each use, so credentials mounted from a Secret can rotate under a running server. */
  private Optional<String> basicHeader() {
    RegistryConfig.UpstreamCredentials c = upstream.credentials();
    String user = c.username();
    String password = c.password();
    try {
      if (c.usernameFile() != null) {
        user = Files.readString(c.usernameFile(), StandardCharsets.UTF_8).strip();
        password = Files.readString(c.passwordFile(), StandardCharsets.UTF_8).strip();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the credentials of upstream " + name(), e);
    }
    if (user == null || password == null) {
      return Optional.empty();
    }
    return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  UpstreamException failure(int status, String what) {
    return new UpstreamException(status, name() + " answered " + status + " to " + what);
  }

  private static SSLContext trusting(RegistryConfig.Upstream upstream) {
    try {
      List<X509Certificate> cas = PemReader.of(Files.readAllBytes(upstream.caFile()), upstream.caFile().toString())
          .certificates();
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + upstream.caFile(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(upstream.caFile() + " holds no usable CA certificate: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      if (in != null) {
        in.close();
      }
    } catch (IOException ignored) {
      // the response failed anyway
    }
  }
}
