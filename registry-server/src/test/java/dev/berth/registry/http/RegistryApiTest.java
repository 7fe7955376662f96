package dev.berth.registry.http;

import static dev.berth.registry.http.ApiClient.errorCode;
import static dev.berth.registry.http.ApiClient.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.auth.Authenticator;
import dev.berth.registry.config.RegistryConfig;
import dev.berth.registry.oci.Digest;
import dev.berth.registry.storage.FilesystemStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI Distribution API end to end over a real socket, with the filesystem storage behind it. */
class RegistryApiTest {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  @TempDir Path root;
  RegistryServer server;
  ApiClient api;

  @BeforeEach
  void start() {
    startWith(true, false);
  }

  void startWith(boolean deleteEnabled, boolean readOnly) {
    if (server != null) {
      server.close();
    }
    RegistryConfig config = new RegistryConfig(new RegistryConfig.Log("info", true, Map.of()),
        new RegistryConfig.Http("127.0.0.1", 0, Map.of("X-Content-Type-Options", List.of("nosniff")), null, null),
        new RegistryConfig.Storage(root, deleteEnabled, readOnly), RegistryConfig.Auth.none());
    server = new RegistryServer(config, new FilesystemStorage(root), Authenticator.allowAll()).start();
    api = new ApiClient(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] ociManifest(Digest config, int configSize, Digest layer, int layerSize, String extra) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configSize + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":" + layerSize + "}]"
        + extra + "}").getBytes(UTF_8);
  }

  /** Pushes a config and a layer and an image manifest tagged {@code tag}; returns the manifest bytes. */
  byte[] pushImage(String repo, String tag, long seed) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes(UTF_8);
    byte[] layer = random(2048, seed);
    byte[] manifest = ociManifest(api.pushBlob(repo, config), config.length, api.pushBlob(repo, layer), layer.length, "");
    api.pushManifest(repo, tag, OCI_MANIFEST, manifest);
    return manifest;
  }

  @Test
  void baseEndpointAnnouncesTheApiVersionAndConfiguredHeaders() {
    HttpResponse<byte[]> response = api.get("/v2/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void healthAndReadiness() {
    assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Nested
  class Blobs {
    @Test
    void monolithicUploadThenGetHeadAndRanges() {
      byte[] content = random(100_000, 1);
      Digest digest = api.pushBlob("team/app", content);

      HttpResponse<byte[]> head = api.send("HEAD", "/v2/team/app/blobs/" + digest, null);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue("100000");
      assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());

      HttpResponse<byte[]> get = api.get("/v2/team/app/blobs/" + digest);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(content);

      HttpResponse<byte[]> partial = api.get("/v2/team/app/blobs/" + digest, "Range", "bytes=10-19");
      assertThat(partial.statusCode()).isEqualTo(206);
      assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
      assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 10-19/100000");

      HttpResponse<byte[]> past = api.get("/v2/team/app/blobs/" + digest, "Range", "bytes=100000-");
      assertThat(past.statusCode()).isEqualTo(416);
      assertThat(errorCode(past)).isEqualTo("RANGE_INVALID");
      assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */100000");
    }

    @Test
    void postThenPutWithBody() {
      byte[] content = random(5000, 2);
      Digest digest = Digest.sha256(content);
      HttpResponse<byte[]> post = api.send("POST", "/v2/app/blobs/uploads/", null);
      assertThat(post.statusCode()).isEqualTo(202);
      String location = post.headers().firstValue("Location").orElseThrow();
      assertThat(post.headers().firstValue("Docker-Upload-UUID")).isPresent();
      HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, content);
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(put.headers().firstValue("Location")).hasValue("/v2/app/blobs/" + digest);
      assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void chunkedPatchesWithContentRangeAndStatus() {
      byte[] content = random(30_000, 3);
      Digest digest = Digest.sha256(content);
      String location = api.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
      HttpResponse<byte[]> first = api.send("PATCH", location, Arrays.copyOfRange(content, 0, 10_000),
          "Content-Range", "0-9999", "Content-Type", "application/octet-stream");
      assertThat(first.statusCode()).isEqualTo(202);
      assertThat(first.headers().firstValue("Range")).hasValue("0-9999");

      HttpResponse<byte[]> outOfOrder = api.send("PATCH", location, Arrays.copyOfRange(content, 20_000, 30_000),
          "Content-Range", "20000-29999");
      assertThat(outOfOrder.statusCode()).isEqualTo(416);

      HttpResponse<byte[]> status = api.get(location);
      assertThat(status.statusCode()).isEqualTo(204);
      assertThat(status.headers().firstValue("Range")).hasValue("0-9999");

      // a streamed PATCH (no Content-Range) appends too
      assertThat(api.send("PATCH", location, Arrays.copyOfRange(content, 10_000, 20_000)).statusCode()).isEqualTo(202);
      HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, Arrays.copyOfRange(content, 20_000, 30_000));
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void contentRangeThatDisagreesWithTheBodyIsRefused() {
      String location = api.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
      HttpResponse<byte[]> response = api.send("PATCH", location, random(100, 4), "Content-Range", "0-199");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("SIZE_INVALID");
    }

    @Test
    void sha512DigestsAreAccepted() {
      byte[] content = random(4096, 5);
      Digest digest = Digest.of("sha512", content);
      assertThat(api.send("POST", "/v2/app/blobs/uploads/?digest=" + digest, content).statusCode()).isEqualTo(201);
      assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void wrongDigestIsRefusedAndNothingBecomesVisible() {
      byte[] content = random(1000, 6);
      Digest other = Digest.sha256(random(1000, 7));
      HttpResponse<byte[]> response = api.send("POST", "/v2/app/blobs/uploads/?digest=" + other, content);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("DIGEST_INVALID");
      assertThat(api.send("HEAD", "/v2/app/blobs/" + other, null).statusCode()).isEqualTo(404);
      assertThat(api.send("HEAD", "/v2/app/blobs/" + Digest.sha256(content), null).statusCode()).isEqualTo(404);
    }

    @Test
    void unsupportedDigestAlgorithmIsRefused() {
      HttpResponse<byte[]> response = api.send("POST", "/v2/app/blobs/uploads/?digest=md5:0123456789abcdef0123456789abcdef",
          "x".getBytes(UTF_8));
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void cancelledAndUnknownUploadsAreUnknown() {
      String location = api.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
      assertThat(api.send("DELETE", location, null).statusCode()).isEqualTo(204);
      HttpResponse<byte[]> gone = api.get(location);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(errorCode(gone)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
      HttpResponse<byte[]> unknown = api.send("PATCH", "/v2/app/blobs/uploads/no-such-upload", new byte[10]);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(errorCode(unknown)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void unknownBlobIs404() {
      HttpResponse<byte[]> response = api.get("/v2/app/blobs/" + Digest.sha256(new byte[] {1}));
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(errorCode(response)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void crossRepositoryMount() {
      Digest digest = api.pushBlob("source", random(3000, 8));
      HttpResponse<byte[]> mounted = api.send("POST", "/v2/target/blobs/uploads/?mount=" + digest + "&from=source", null);
      assertThat(mounted.statusCode()).isEqualTo(201);
      assertThat(mounted.headers().firstValue("Location")).hasValue("/v2/target/blobs/" + digest);
      assertThat(api.send("HEAD", "/v2/target/blobs/" + digest, null).statusCode()).isEqualTo(200);

      Digest missing = Digest.sha256(random(10, 9));
      HttpResponse<byte[]> fallback = api.send("POST", "/v2/target/blobs/uploads/?mount=" + missing + "&from=source", null);
      assertThat(fallback.statusCode()).isEqualTo(202);
      assertThat(fallback.headers().firstValue("Location").orElseThrow()).startsWith("/v2/target/blobs/uploads/");
    }

    @Test
    void bodyShorterThanContentLengthLeavesNoBlob() throws IOException {
      byte[] content = random(1000, 10);
      Digest digest = Digest.sha256(content);
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(monolithicUploadHead(digest, 1000));
        out.write(content, 0, 600);
        out.flush();
      }
      // the abandoned request is no longer in flight, so a shutdown would not wait for it
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> server.inFlight() == 0);
      assertThat(api.send("HEAD", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(404);
      // the one-shot upload was discarded, not left half-written under _uploads
      Path uploads = root.resolve("docker/registry/v2/repositories/app/_uploads");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> isEmptyOrAbsent(uploads));
    }

    @Test
    void putWithoutDigestAndMalformedContentRangeAreRefused() {
      String location = api.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
      HttpResponse<byte[]> noDigest = api.send("PUT", location, random(10, 60));
      assertThat(noDigest.statusCode()).isEqualTo(400);
      assertThat(errorCode(noDigest)).isEqualTo("DIGEST_INVALID");
      HttpResponse<byte[]> badRange = api.send("PATCH", location, random(10, 61), "Content-Range", "ten-twenty");
      assertThat(badRange.statusCode()).isEqualTo(416);
      assertThat(errorCode(badRange)).isEqualTo("BLOB_UPLOAD_INVALID");
    }

    @Test
    void deletedBlobIsGoneFromTheRepository() {
      Digest digest = api.pushBlob("app", random(100, 62));
      assertThat(api.send("DELETE", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(202);
      HttpResponse<byte[]> gone = api.get("/v2/app/blobs/" + digest);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(errorCode(gone)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void bodyLongerThanContentLengthIsCutAtTheDeclaredLength() throws IOException {
      byte[] content = random(1000, 11);
      Digest digest = Digest.sha256(content);
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(monolithicUploadHead(digest, 500));
        out.write(content);
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = new String(in.readNBytes(12), UTF_8);
        assertThat(statusLine).isEqualTo("HTTP/1.1 400");
      }
      assertThat(api.send("HEAD", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void gracefulShutdownFinishesTheRequestInFlight() throws Exception {
    byte[] content = random(1000, 50);
    Digest digest = Digest.sha256(content);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(monolithicUploadHead(digest, 1000));
      out.write(content, 0, 500);
      out.flush();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);
      Thread closer = new Thread(server::close);
      closer.start();
      closer.join(300);
      assertThat(closer.isAlive()).as("close() waits for the upload in flight").isTrue();
      out.write(content, 500, 500);
      out.flush();
      String statusLine = new String(socket.getInputStream().readNBytes(12), UTF_8);
      assertThat(statusLine).isEqualTo("HTTP/1.1 201");
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
    }
    startWith(true, false);
    assertThat(api.get("/v2/app/blobs/" + digest).body()).isEqualTo(content);
  }

  @Nested
  class Manifests {
    @Test
    void bytesAndContentTypeComeBackExactlyAsPushed() {
      byte[] manifest = pushImage("team/app", "v1", 20);
      Digest digest = Digest.sha256(manifest);
      for (String ref : new String[] {"v1", digest.toString()}) {
        HttpResponse<byte[]> get = api.get("/v2/team/app/manifests/" + ref, "Accept", OCI_MANIFEST);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(manifest);
        assertThat(get.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
      }
      HttpResponse<byte[]> head = api.send("HEAD", "/v2/team/app/manifests/v1", null);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(manifest.length));
    }

    @Test
    void dockerSchema2AndIndexRoundTrip() {
      byte[] config = "{}".getBytes(UTF_8);
      byte[] layer = random(100, 21);
      Digest configDigest = api.pushBlob("app", config);
      Digest layerDigest = api.pushBlob("app", layer);
      byte[] docker = ("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + DOCKER_MANIFEST + "\",\n"
          + "   \"config\": {\"mediaType\": \"application/vnd.docker.container.image.v1+json\", \"size\": 2, \"digest\": \"" + configDigest + "\"},\n"
          + "   \"layers\": [{\"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\", \"size\": 100, \"digest\": \"" + layerDigest + "\"}]\n}")
          .getBytes(UTF_8);
      String dockerDigest = api.pushManifest("app", "docker", DOCKER_MANIFEST, docker);
      byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + DOCKER_MANIFEST
          + "\",\"digest\":\"" + dockerDigest + "\",\"size\":" + docker.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}")
          .getBytes(UTF_8);
      api.pushManifest("app", "multi", OCI_INDEX, index);
      assertThat(api.get("/v2/app/manifests/docker").body()).isEqualTo(docker);
      assertThat(api.get("/v2/app/manifests/docker").headers().firstValue("Content-Type")).hasValue(DOCKER_MANIFEST);
      assertThat(api.get("/v2/app/manifests/multi").body()).isEqualTo(index);
      assertThat(api.get("/v2/app/manifests/multi").headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
    }

    @Test
    void manifestReferencingUnknownBlobsIsRefused() {
      Digest missing = Digest.sha256(random(10, 22));
      Digest config = api.pushBlob("app", "{}".getBytes(UTF_8));
      HttpResponse<byte[]> response = api.send("PUT", "/v2/app/manifests/v1", ociManifest(config, 2, missing, 10, ""),
          "Content-Type", OCI_MANIFEST);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
      assertThat(api.get("/v2/app/manifests/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void manifestThatIsNotJsonIsInvalid() {
      HttpResponse<byte[]> response = api.send("PUT", "/v2/app/manifests/v1", "not json".getBytes(UTF_8),
          "Content-Type", OCI_MANIFEST);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void manifestOverFourMebibytesIsRefused() {
      HttpResponse<byte[]> response = api.send("PUT", "/v2/app/manifests/v1", new byte[(4 << 20) + 1],
          "Content-Type", OCI_MANIFEST);
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(errorCode(response)).isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void digestReferenceMustMatchTheBytes() {
      byte[] manifest = pushImage("app", "v1", 23);
      String wrong = Digest.sha256("other".getBytes(UTF_8)).toString();
      HttpResponse<byte[]> response = api.send("PUT", "/v2/app/manifests/" + wrong, manifest, "Content-Type", OCI_MANIFEST);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void invalidTagsAndNamesAreRefused() {
      byte[] manifest = pushImage("app", "v1", 24);
      HttpResponse<byte[]> badTag = api.send("PUT", "/v2/app/manifests/-bad", manifest, "Content-Type", OCI_MANIFEST);
      assertThat(badTag.statusCode()).isEqualTo(400);
      assertThat(errorCode(badTag)).isEqualTo("TAG_INVALID");
      for (String name : new String[] {"Upper", "a/../b", "a//b", "a/%2e%2e/b"}) {
        HttpResponse<byte[]> response = api.send("PUT", "/v2/" + name + "/manifests/v1", manifest, "Content-Type", OCI_MANIFEST);
        assertThat(response.statusCode()).as(name).isEqualTo(400);
        assertThat(errorCode(response)).as(name).isEqualTo("NAME_INVALID");
      }
    }

    @Test
    void deleteByTagAndByDigest() {
      byte[] manifest = pushImage("app", "v1", 25);
      api.pushManifest("app", "v2", OCI_MANIFEST, manifest);
      assertThat(api.send("DELETE", "/v2/app/manifests/v2", null).statusCode()).isEqualTo(202);
      assertThat(api.get("/v2/app/manifests/v2").statusCode()).isEqualTo(404);
      assertThat(api.get("/v2/app/manifests/v1").statusCode()).isEqualTo(200);
      assertThat(api.send("DELETE", "/v2/app/manifests/" + Digest.sha256(manifest), null).statusCode()).isEqualTo(202);
      HttpResponse<byte[]> gone = api.get("/v2/app/manifests/v1");
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(errorCode(gone)).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void referrersAndTheSubjectHeader() {
      byte[] image = pushImage("app", "v1", 26);
      Digest subject = Digest.sha256(image);
      byte[] empty = "{}".getBytes(UTF_8);
      Digest emptyDigest = api.pushBlob("app", empty);
      byte[] sbom = random(64, 27);
      Digest sbomDigest = api.pushBlob("app", sbom);
      byte[] artifact = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2},"
          + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + sbomDigest + "\",\"size\":64}],"
          + "\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":" + image.length + "},"
          + "\"annotations\":{\"org.example\":\"yes\"}}").getBytes(UTF_8);
      Digest artifactDigest = Digest.sha256(artifact);
      HttpResponse<byte[]> put = api.send("PUT", "/v2/app/manifests/" + artifactDigest, artifact, "Content-Type", OCI_MANIFEST);
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject.toString());

      HttpResponse<byte[]> referrers = api.get("/v2/app/referrers/" + subject);
      assertThat(referrers.statusCode()).isEqualTo(200);
      assertThat(referrers.headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
      JsonNode manifests = json(referrers).path("manifests");
      assertThat(manifests).hasSize(1);
      assertThat(manifests.get(0).path("digest").asText()).isEqualTo(artifactDigest.toString());
      assertThat(manifests.get(0).path("artifactType").asText()).isEqualTo("application/spdx+json");
      assertThat(manifests.get(0).path("annotations").path("org.example").asText()).isEqualTo("yes");

      HttpResponse<byte[]> filtered = api.get("/v2/app/referrers/" + subject + "?artifactType=application/other");
      assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
      assertThat(json(filtered).path("manifests")).isEmpty();
      HttpResponse<byte[]> matching = api.get("/v2/app/referrers/" + subject + "?artifactType=application/spdx%2Bjson");
      assertThat(json(matching).path("manifests")).hasSize(1);
    }
  }

  @Nested
  class Listings {
    @Test
    void tagsListWithPagination() {
      for (String tag : new String[] {"c", "a", "b"}) {
        pushImage("app", tag, tag.charAt(0));
      }
      assertThat(json(api.get("/v2/app/tags/list")).path("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
      HttpResponse<byte[]> page = api.get("/v2/app/tags/list?n=2");
      assertThat(json(page).path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
      assertThat(page.headers().firstValue("Link")).hasValue("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
      HttpResponse<byte[]> next = api.get("/v2/app/tags/list?n=2&last=b");
      assertThat(json(next).path("tags").toString()).isEqualTo("[\"c\"]");
      assertThat(next.headers().firstValue("Link")).isEmpty();
      HttpResponse<byte[]> unknown = api.get("/v2/nope/tags/list");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(errorCode(unknown)).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void catalogWithPaginationAndSearch() {
      pushImage("team-a/web", "1", 30);
      pushImage("team-a/api", "1", 31);
      pushImage("team-b/web", "1", 32);
      assertThat(json(api.get("/v2/_catalog")).path("repositories").toString())
          .isEqualTo("[\"team-a/api\",\"team-a/web\",\"team-b/web\"]");
      HttpResponse<byte[]> page = api.get("/v2/_catalog?n=1");
      assertThat(json(page).path("repositories").toString()).isEqualTo("[\"team-a/api\"]");
      assertThat(page.headers().firstValue("Link")).hasValue("</v2/_catalog?n=1&last=team-a/api>; rel=\"next\"");
      assertThat(json(api.get("/v2/_catalog?n=5&last=team-a/web")).path("repositories").toString()).isEqualTo("[\"team-b/web\"]");
      assertThat(errorCode(api.get("/v2/_catalog?n=-1"))).isEqualTo("PAGINATION_NUMBER_INVALID");

      JsonNode search = json(api.get("/v1/search?q=web&n=1&page=2"));
      assertThat(search.path("num_results").asInt()).isEqualTo(2);
      assertThat(search.path("num_pages").asInt()).isEqualTo(2);
      assertThat(search.path("page").asInt()).isEqualTo(2);
      assertThat(search.path("page_size").asInt()).isEqualTo(1);
      assertThat(search.path("query").asText()).isEqualTo("web");
      assertThat(search.path("results").get(0).path("name").asText()).isEqualTo("team-b/web");
    }
  }

  @Nested
  class Policy {
    @Test
    void deletesDisabledAreUnsupported() {
      startWith(false, false);
      byte[] manifest = pushImage("app", "v1", 40);
      HttpResponse<byte[]> response = api.send("DELETE", "/v2/app/manifests/v1", null);
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(errorCode(response)).isEqualTo("UNSUPPORTED");
      assertThat(api.get("/v2/app/manifests/v1").body()).isEqualTo(manifest);
      Digest layer = api.pushBlob("app", random(10, 41));
      assertThat(api.send("DELETE", "/v2/app/blobs/" + layer, null).statusCode()).isEqualTo(405);
    }

    @Test
    void readOnlyRefusesWritesButServesReads() {
      byte[] manifest = pushImage("app", "v1", 42);
      startWith(true, true);
      assertThat(api.get("/v2/app/manifests/v1").body()).isEqualTo(manifest);
      HttpResponse<byte[]> response = api.send("POST", "/v2/app/blobs/uploads/", null);
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(errorCode(response)).isEqualTo("UNSUPPORTED");
    }

    @Test
    void unknownPathsAndMethodsGetSpecErrors() {
      assertThat(api.get("/nothing-here").statusCode()).isEqualTo(404);
      HttpResponse<byte[]> method = api.send("POST", "/v2/app/tags/list", null);
      assertThat(method.statusCode()).isEqualTo(405);
      assertThat(errorCode(method)).isEqualTo("UNSUPPORTED");
    }
  }

  /** The request line and headers of a one-request blob upload, for tests that send the body bytes by hand. */
  private static byte[] monolithicUploadHead(Digest digest, int contentLength) {
    return ("POST /v2/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + contentLength
        + "\r\n\r\n").getBytes(UTF_8);
  }

  static boolean isEmptyOrAbsent(Path dir) throws IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return true;
    }
    try (var entries = java.nio.file.Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
