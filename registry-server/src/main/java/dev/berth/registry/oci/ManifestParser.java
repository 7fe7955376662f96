package dev.berth.registry.oci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that pushed bytes are a manifest of a supported kind and shape (OCI image manifest or index, Docker schema2
 * manifest or manifest list) and extracts what the registry must verify. Every refusal is MANIFEST_INVALID.
 */
public final class ManifestParser {
  /** Manifests larger than this are refused, as distribution does. */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  // Duplicate keys would let two parsers see two different manifests behind one digest.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ManifestParser() {}

  /**
   * Parses {@code content} pushed with {@code contentType}. The kind comes from the Content-Type when it names one,
   * else from the body's {@code mediaType}, else from its shape ({@code manifests} means an OCI index); a body whose
   * {@code mediaType} contradicts the Content-Type is refused.
   */
  public static ParsedManifest parse(String contentType, byte[] content) {
    if (content.length > MAX_MANIFEST_BYTES) {
      throw invalid("manifest is " + content.length + " bytes, over the limit of " + MAX_MANIFEST_BYTES);
    }
    if (ManifestMediaTypes.isSchema1(contentType)) {
      throw invalid("Docker schema 1 manifests are not supported; push schema 2 or OCI");
    }
    JsonNode root = readObject(content);
    ManifestKind kind = kindOf(contentType, root);
    JsonNode schemaVersion = root.get("schemaVersion");
    if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
      throw invalid("schemaVersion must be 2");
    }
    Optional<String> artifactType = optionalString(root, "artifactType");
    Map<String, String> annotations = annotations(root, "manifest");
    Optional<ParsedManifest.Reference> subject = root.has("subject")
        ? Optional.of(reference(root.get("subject"), "subject"))
        : Optional.empty();
    if (kind.isIndex()) {
      List<ParsedManifest.Reference> children = references(root, "manifests");
      return new ParsedManifest(kind, Optional.empty(), List.of(), children, subject, artifactType, annotations);
    }
    if (root.has("manifests")) {
      throw invalid("an image manifest has no 'manifests' list");
    }
    ParsedManifest.Reference config = reference(root.get("config"), "config");
    List<ParsedManifest.Reference> layers = references(root, "layers");
    return new ParsedManifest(kind, Optional.of(config), layers, List.of(), subject, artifactType, annotations);
  }

  /**
   * The media type to serve for a stored manifest nobody recorded a Content-Type for (a registry:2 root): the body's
   * {@code mediaType}, else OCI index when it lists manifests, else OCI image manifest.
   */
  public static String inferMediaType(byte[] content) {
    try {
      JsonNode root = JSON.readTree(content);
      if (root != null && root.isObject()) {
        JsonNode mediaType = root.get("mediaType");
        if (mediaType != null && mediaType.isTextual() && !mediaType.asText().isEmpty()) {
          return mediaType.asText();
        }
        if (root.has("manifests")) {
          return ManifestMediaTypes.OCI_INDEX;
        }
      }
    } catch (IOException e) {
      // Not JSON: nothing better to say than the default below.
    }
    return ManifestMediaTypes.OCI_MANIFEST;
  }

  private static JsonNode readObject(byte[] content) {
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("manifest is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("manifest must be a JSON object");
    }
    return root;
  }

  private static ManifestKind kindOf(String contentType, JsonNode root) {
    Optional<String> bodyType = optionalString(root, "mediaType");
    Optional<ManifestKind> headerKind = ManifestKind.ofMediaType(contentType);
    if (headerKind.isPresent()) {
      if (bodyType.isPresent() && !bodyType.get().equals(headerKind.get().mediaType())) {
        throw invalid("mediaType '" + bodyType.get() + "' does not match Content-Type '" + contentType + "'");
      }
      return headerKind.get();
    }
    if (bodyType.isPresent()) {
      if (ManifestMediaTypes.isSchema1(bodyType.get())) {
        throw invalid("Docker schema 1 manifests are not supported; push schema 2 or OCI");
      }
      return ManifestKind.ofMediaType(bodyType.get())
          .orElseThrow(() -> invalid("unsupported manifest mediaType '" + bodyType.get() + "'"));
    }
    return root.has("manifests") ? ManifestKind.OCI_INDEX : ManifestKind.OCI_MANIFEST;
  }

  private static List<ParsedManifest.Reference> references(JsonNode root, String field) {
    JsonNode array = root.get(field);
    if (array == null || !array.isArray()) {
      throw invalid("'" + field + "' must be an array");
    }
    List<ParsedManifest.Reference> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      result.add(reference(array.get(i), field + "[" + i + "]"));
    }
    return result;
  }

  private static ParsedManifest.Reference reference(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw invalid("'" + where + "' must be a descriptor object");
    }
    String mediaType = optionalString(node, "mediaType")
        .filter(type -> !type.isEmpty())
        .orElseThrow(() -> invalid("'" + where + ".mediaType' is required"));
    JsonNode digestNode = node.get("digest");
    if (digestNode == null || !digestNode.isTextual()) {
      throw invalid("'" + where + ".digest' is required");
    }
    Digest digest;
    try {
      digest = Digest.parse(digestNode.asText());
    } catch (RegistryException e) {
      throw invalid("'" + where + ".digest': " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw invalid("'" + where + ".size' must be a non-negative integer");
    }
    List<String> urls = new ArrayList<>();
    JsonNode urlsNode = node.get("urls");
    if (urlsNode != null) {
      if (!urlsNode.isArray()) {
        throw invalid("'" + where + ".urls' must be an array of strings");
      }
      for (JsonNode url : urlsNode) {
        if (!url.isTextual()) {
          throw invalid("'" + where + ".urls' must be an array of strings");
        }
        urls.add(url.asText());
      }
    }
    annotations(node, where);
    return new ParsedManifest.Reference(mediaType, digest, size.asLong(), urls);
  }

  private static Map<String, String> annotations(JsonNode node, String where) {
    JsonNode annotations = node.get("annotations");
    if (annotations == null || annotations.isNull()) {
      return Map.of();
    }
    if (!annotations.isObject()) {
      throw invalid("'" + where + ".annotations' must be an object of strings");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : annotations.properties()) {
      if (!entry.getValue().isTextual()) {
        throw invalid("annotation '" + entry.getKey() + "' of '" + where + "' must be a string");
      }
      result.put(entry.getKey(), entry.getValue().asText());
    }
    return result;
  }

  private static Optional<String> optionalString(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw invalid("'" + field + "' must be a string");
    }
    return Optional.of(value.asText());
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
  }
}
