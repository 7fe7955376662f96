package dev.berth.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  private static final String CONFIG = "sha256:" + "a".repeat(64);
  private static final String LAYER = "sha256:" + "b".repeat(64);
  private static final String CHILD = "sha256:" + "c".repeat(64);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String image(String mediaTypeField, String extra) {
    return "{\"schemaVersion\":2," + mediaTypeField + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"digest\":\"" + CONFIG + "\",\"size\":10},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
        + "\"digest\":\"" + LAYER + "\",\"size\":20}]" + extra + "}";
  }

  private static String invalidMessage(String contentType, String body) {
    RegistryException e = catchThrowableOfType(RegistryException.class, () -> ManifestParser.parse(contentType, utf8(body)));
    assertThat(e).as("refused: " + body).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    return e.getMessage();
  }

  @Test
  void ociImageManifestYieldsConfigAndLayers() {
    ParsedManifest parsed = ManifestParser.parse(ManifestMediaTypes.OCI_MANIFEST, utf8(image("", "")));
    assertThat(parsed.kind()).isEqualTo(ManifestKind.OCI_MANIFEST);
    assertThat(parsed.requiredBlobs()).containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER));
    assertThat(parsed.requiredManifests()).isEmpty();
    assertThat(parsed.referrerArtifactType()).contains("application/vnd.oci.image.config.v1+json");
  }

  @Test
  void kindComesFromContentTypeThenMediaTypeFieldThenShape() {
    assertThat(ManifestParser.parse(null, utf8(image("\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST + "\",", ""))).kind())
        .isEqualTo(ManifestKind.DOCKER_MANIFEST);
    assertThat(ManifestParser.parse("", utf8(image("", ""))).kind()).isEqualTo(ManifestKind.OCI_MANIFEST);
    String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"digest\":\""
        + CHILD + "\",\"size\":5,\"platform\":{\"os\":\"linux\"}}]}";
    ParsedManifest parsed = ManifestParser.parse("application/json", utf8(index));
    assertThat(parsed.kind()).isEqualTo(ManifestKind.OCI_INDEX);
    assertThat(parsed.requiredManifests()).containsExactly(Digest.parse(CHILD));
    assertThat(parsed.requiredBlobs()).isEmpty();
    assertThat(ManifestParser.parse(ManifestMediaTypes.DOCKER_MANIFEST_LIST + "; charset=utf-8", utf8(index)).kind())
        .isEqualTo(ManifestKind.DOCKER_MANIFEST_LIST);
  }

  @Test
  void subjectArtifactTypeAndAnnotationsAreRead() {
    ParsedManifest parsed = ManifestParser.parse(ManifestMediaTypes.OCI_MANIFEST, utf8(image("",
        ",\"artifactType\":\"application/x-sig\",\"subject\":{\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST
            + "\",\"digest\":\"" + CHILD + "\",\"size\":3},\"annotations\":{\"k\":\"v\"}")));
    assertThat(parsed.subject()).map(ParsedManifest.Reference::digest).contains(Digest.parse(CHILD));
    assertThat(parsed.referrerArtifactType()).contains("application/x-sig");
    assertThat(parsed.annotations()).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void foreignLayersAreNotRequired() {
    String body = image("", "").replace("\"size\":20}", "\"size\":20,\"urls\":[\"https://example.com/l\"]}");
    assertThat(ManifestParser.parse(ManifestMediaTypes.OCI_MANIFEST, utf8(body)).requiredBlobs())
        .containsExactly(Digest.parse(CONFIG));
  }

  @Test
  void mediaTypeContradictingContentTypeIsRefused() {
    assertThat(invalidMessage(ManifestMediaTypes.OCI_MANIFEST, image("\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST + "\",", "")))
        .contains("does not match");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "null", "42", "\"text\"", "[]", "{", "{\"schemaVersion\":2} trailing",
      "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}",
      "{\"schemaVersion\":\"2\",\"config\":{},\"layers\":[]}",
      "{\"schemaVersion\":2,\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "a" + "\",\"size\":1},\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"md5:abcd\",\"size\":1},\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":1},\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":-1},\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":1.5},\"layers\":[]}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":1},\"layers\":{}}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":1},\"layers\":[],\"annotations\":{\"k\":1}}",
      "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"size\":1},\"layers\":[],\"schemaVersion\":2}",
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\",\"blobs\":[]}",
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x/y\"}]}",
      "{\"schemaVersion\":2,\"manifests\":\"none\"}"})
  void malformedManifestsAreManifestInvalid(String body) {
    invalidMessage(null, body);
  }

  @Test
  void indexContentTypeNeedsAManifestsList() {
    assertThat(invalidMessage(ManifestMediaTypes.OCI_INDEX, image("", ""))).contains("manifests");
    assertThat(invalidMessage(ManifestMediaTypes.OCI_MANIFEST,
        "{\"schemaVersion\":2,\"manifests\":[]}")).isNotBlank();
  }

  @Test
  void schema1IsRefusedWithAClearMessage() {
    assertThat(invalidMessage(ManifestMediaTypes.DOCKER_SCHEMA1_SIGNED, "{\"schemaVersion\":1}")).contains("schema 1");
  }

  @Test
  void oversizedIsRefusedBeforeParsing() {
    byte[] big = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
    RegistryException e = catchThrowableOfType(RegistryException.class, () -> ManifestParser.parse(null, big));
    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    assertThat(e.getMessage()).contains("over the limit");
  }

  @Test
  void inferredMediaTypeForStoredManifestsWithoutRecord() {
    assertThat(ManifestParser.inferMediaType(utf8("{\"mediaType\":\"" + ManifestMediaTypes.DOCKER_MANIFEST_LIST + "\"}")))
        .isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(ManifestParser.inferMediaType(utf8("{\"manifests\":[]}"))).isEqualTo(ManifestMediaTypes.OCI_INDEX);
    assertThat(ManifestParser.inferMediaType(utf8("{\"config\":{}}"))).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(ManifestParser.inferMediaType(utf8("garbage"))).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(List.of(ManifestKind.values())).allMatch(k -> ManifestKind.ofMediaType(k.mediaType()).orElseThrow() == k);
  }
}
