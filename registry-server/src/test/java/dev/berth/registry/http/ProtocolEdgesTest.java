package dev.berth.registry.http;

import static dev.berth.registry.http.ApiClient.errorCode;
import static dev.berth.registry.http.ApiClient.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.oci.ErrorCode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Spec-exact edges of the protocol: out-of-order chunks, request lines and heads, and Expect: 100-continue. */
class ProtocolEdgesTest {
  static final String TOKEN = "Basic dXNlcjpwYXNz";

  @TempDir Path root;
  RegistryServer server;
  ApiClient api;

  /** Everyone needs the header above; nobody may push to {@code locked/*}. */
  static final Authenticator AUTH = (request, scope) -> {
    if (!TOKEN.equals(request.authorization())) {
      return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, "authentication required", "Basic realm=\"test\"");
    }
    if (scope.name().startsWith("locked/") && scope.actions().contains("push")) {
      return new AuthDecision.Refused(ErrorCode.DENIED, "no pushes here", null);
    }
    return new AuthDecision.Allowed("user");
  };

  @BeforeEach
  void start() {
    server = TestServers.start(root, TestServers.loopback(), AUTH);
    api = new ApiClient(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256", "sha512"})
  void aChunkThatDoesNotStartAtTheUploadsOffsetGets416AndTheUploadGoesOn(String algorithm) {
    byte[] content = RegistryApiTest.random(30_000, 1);
    Digest digest = Digest.of(algorithm, content);
    String location = api.send("POST", "/v2/app/blobs/uploads/", null, "Authorization", TOKEN)
        .headers().firstValue("Location").orElseThrow();
    assertThat(patch(location, content, 0, 10_000).statusCode()).isEqualTo(202);

    for (int[] wrong : new int[][] {{20_000, 30_000}, {5_000, 15_000}, {0, 10_000}}) {
      HttpResponse<byte[]> outOfOrder = patch(location, content, wrong[0], wrong[1]);
      assertThat(outOfOrder.statusCode()).as("chunk %d-%d", wrong[0], wrong[1]).isEqualTo(416);
      assertThat(errorCode(outOfOrder)).isEqualTo("BLOB_UPLOAD_INVALID");
      assertThat(json(outOfOrder).path("errors").path(0).path("message").asText()).contains("out of order");
    }
    HttpResponse<byte[]> status = api.get(location, "Authorization", TOKEN);
    assertThat(status.headers().firstValue("Range")).hasValue("0-9999");

    assertThat(patch(location, content, 10_000, 30_000).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, null, "Authorization", TOKEN);
    assertThat(put.statusCode()).as(new String(put.body(), UTF_8)).isEqualTo(201);
    assertThat(api.get("/v2/app/blobs/" + digest, "Authorization", TOKEN).body()).isEqualTo(content);
  }

  private HttpResponse<byte[]> patch(String location, byte[] content, int from, int to) {
    return api.send("PATCH", location, Arrays.copyOfRange(content, from, to), "Authorization", TOKEN,
        "Content-Range", from + "-" + (to - 1), "Content-Type", "application/octet-stream");
  }

  @Test
  void anHttp11RequestWithoutHostGets400AndTheConnectionCloses() {
    try (RawHttp client = new RawHttp(server.port())) {
      RawHttp.Head head = client.send("GET /v2/ HTTP/1.1\r\nAuthorization: " + TOKEN + "\r\n\r\n").readHead();
      assertThat(head.status()).isEqualTo(400);
      assertThat(new String(client.readBytes((int) head.contentLength()), UTF_8)).contains("needs a Host header");
      assertThat(client.readToEnd(0)).isZero();
    }
    try (RawHttp client = new RawHttp(server.port())) {
      String twoHosts = "GET /v2/ HTTP/1.1\r\nHost: a\r\nHost: b\r\nAuthorization: " + TOKEN + "\r\n\r\n";
      assertThat(client.send(twoHosts).readHead().status()).isEqualTo(400);
    }
    try (RawHttp client = new RawHttp(server.port())) {
      // HTTP/1.0 has no Host requirement
      assertThat(client.send("GET /v2/ HTTP/1.0\r\nAuthorization: " + TOKEN + "\r\n\r\n").readHead().status())
          .isEqualTo(200);
    }
  }

  @Test
  void aVersionTheServerDoesNotSpeakGets505AndTheConnectionCloses() {
    try (RawHttp client = new RawHttp(server.port())) {
      RawHttp.Head head = client.send("GET /v2/ HTTP/9.9\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\n\r\n"
          + "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
      assertThat(head.status()).isEqualTo(505);
      assertThat(head.headers()).containsEntry("connection", "close");
      assertThat(new String(client.readBytes((int) head.contentLength()), UTF_8)).contains("HTTP/9.9 is not supported");
      assertThat(client.readToEnd(0)).as("the pipelined request after it is not answered").isZero();
    }
  }

  @Test
  void aRefusedUploadWithExpectContinueGetsItsRefusalAndNo100() {
    Digest digest = Digest.sha256(new byte[1000]);
    String head = "POST /v2/%s/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n%sExpect: 100-continue\r\n"
        + "Content-Length: 1000\r\n\r\n";
    try (RawHttp client = new RawHttp(server.port())) {
      RawHttp.Head refused = client.send(head.formatted("app", "")).readHead();
      assertThat(refused.status()).as("no 100 before the 401").isEqualTo(401);
      assertThat(refused.headers()).containsKey("www-authenticate").containsEntry("connection", "close");
      client.readBytes((int) refused.contentLength());
      assertThat(client.readToEnd(0)).as("the body is never asked for: the connection ends").isZero();
    }
    try (RawHttp client = new RawHttp(server.port())) {
      RawHttp.Head denied = client.send(head.formatted("locked/app", "Authorization: " + TOKEN + "\r\n")).readHead();
      assertThat(denied.status()).as("no 100 before the 403").isEqualTo(403);
      client.readBytes((int) denied.contentLength());
      assertThat(client.readToEnd(0)).isZero();
    }
    assertThat(api.send("HEAD", "/v2/app/blobs/" + digest, null, "Authorization", TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void anAuthorizedUploadWithExpectContinueGets100ThenItsAnswer() {
    byte[] content = RegistryApiTest.random(1000, 2);
    Digest digest = Digest.sha256(content);
    try (RawHttp client = new RawHttp(server.port())) {
      client.send("POST /v2/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN
          + "\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
      assertThat(client.readHead().status()).isEqualTo(100);
      assertThat(client.send(content).readResponse().status()).isEqualTo(201);
      // the connection stays usable
      RawHttp.Head next = client.send("GET /v2/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\n\r\n").readHead();
      assertThat(next.status()).isEqualTo(200);
    }
  }
}
